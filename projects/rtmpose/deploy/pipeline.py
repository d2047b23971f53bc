"""The whole deploy flow of ``tools/deploy.py``: checks, PyTorch -> ONNX, ONNX -> backend, SDK metadata."""
import shutil
from pathlib import Path

from mmengine.config import Config

from .artifacts import Artifacts, artifacts
from .checks import DeployError, load_request
from .ncnn_convert import onnx2ncnn
from .onnx_export import export_onnx
from .ort_fp16 import convert_fp16
from .sdk_info import dump_sdk_info
from .tensorrt_convert import onnx2tensorrt


def deploy(deploy_cfg_file: str, model_cfg_file: str, checkpoint: str, image: str, work_dir: str | Path,
           device: str = 'cpu', dump_info: bool = False, scope: str | None = None) -> Artifacts:
    """Convert a model as ``deploy_cfg_file`` says and write everything to ``work_dir``.

    All argument checks (:func:`rtmpose.deploy.checks.load_request`) run before ``work_dir`` is created; if a later
    step fails, a ``work_dir`` created by this call is removed again, so no half-done directory is left behind.

    Args:
        deploy_cfg_file: MMDeploy deploy config (``deploy_configs/...``).
        model_cfg_file: Model config.
        checkpoint: ``.pth`` file or ``'none'`` (random weights).
        image: Image used to trace the model.
        work_dir: Output directory.
        device: ``'cpu'`` or ``'cuda:N'`` (TensorRT needs ``cuda``).
        dump_info: Also write the MMDeploy SDK files.
        scope: Build the model in this registry scope instead of the config's ``default_scope``; ``'mmpose'``
            converts MMPose's reference classes from one of our configs (with MMDeploy's own rewriters).

    Returns:
        The written files.

    Raises:
        rtmpose.deploy.checks.DeployError: invalid request (nothing written).
    """
    deploy_cfg, model_cfg, checkpoint_file = load_request(deploy_cfg_file, model_cfg_file, checkpoint, image, device)
    if scope is not None:
        model_cfg.default_scope = scope
    work_dir = Path(work_dir)
    try:
        files = artifacts(deploy_cfg, work_dir)
    except ValueError as err:
        raise DeployError(f'{deploy_cfg_file}: {err}') from err
    created = not work_dir.exists()
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        export_onnx(deploy_cfg, model_cfg, checkpoint_file, image, work_dir, device)
        _convert(deploy_cfg, files, device)
        if dump_info:
            dump_sdk_info(deploy_cfg, model_cfg, work_dir, checkpoint, device, files)
    except BaseException:
        if created:
            shutil.rmtree(work_dir, ignore_errors=True)
        raise
    return files


def _convert(deploy_cfg: Config, files: Artifacts, device: str) -> None:
    """ONNX -> the backend's files (nothing to do for FP32 ONNX Runtime)."""
    if files.backend == 'onnxruntime' and files.precision == 'FP16':
        convert_fp16(files.onnx, files.backend_files[0])
    elif files.backend == 'ncnn':
        onnx2ncnn(files.onnx, *files.backend_files, list(files.input_shape), fp16=files.precision == 'FP16')
    elif files.backend == 'tensorrt':
        common = deploy_cfg.backend_config.get('common_config', {})
        onnx2tensorrt(files.onnx, files.backend_files[0], deploy_cfg.backend_config.model_inputs[0].input_shapes,
                      fp16=files.precision == 'FP16', max_workspace_size=common.get('max_workspace_size', 1 << 30),
                      device=device)

"""The whole deploy flow of ``tools/deploy.py``: checks, PyTorch -> ONNX, ONNX -> backend, SDK metadata."""
import logging
import os
import tempfile
from pathlib import Path

from mmengine.config import Config
from mmengine.logging import print_log

from .artifacts import Artifacts, artifacts
from .checks import ConversionError, DeployError, load_request
from .model_config import check_checkpoint_fits, fit_input_shape, mmdeploy_model_config
from .ncnn_convert import onnx2ncnn
from .onnx_export import export_onnx
from .ort_fp16 import convert_fp16
from .sdk_info import dump_sdk_info
from .tensorrt_convert import onnx2tensorrt

#: The MMDeploy SDK files of ``--dump-info``
_SDK_FILES = ('deploy.json', 'pipeline.json', 'detail.json')


def deploy(deploy_cfg_file: str, model_cfg_file: str, checkpoint: str, image: str, work_dir: str | Path,
           device: str = 'cpu', dump_info: bool = False, scope: str | None = None) -> Artifacts:
    """Convert a model as ``deploy_cfg_file`` says and write everything to ``work_dir``.

    All argument checks (:func:`rtmpose.deploy.checks.load_request`, and that the checkpoint's weights fit the
    model: :func:`~rtmpose.deploy.model_config.check_checkpoint_fits`) run before anything is written. The
    conversion runs in a temporary folder beside ``work_dir``; only when it is complete do its files replace those
    of a previous export in ``work_dir`` (and SDK files of a previous export that this one does not write are
    removed), so a failed conversion leaves ``work_dir`` as it was. The input shape comes from the model config
    (:func:`~rtmpose.deploy.model_config.fit_input_shape`).

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
        rtmpose.deploy.checks.ConversionError: the conversion failed (``work_dir`` unchanged).
    """
    deploy_cfg, model_cfg, checkpoint_file = load_request(deploy_cfg_file, model_cfg_file, checkpoint, image, device)
    if scope is not None:
        model_cfg.default_scope = scope
    model_cfg = mmdeploy_model_config(model_cfg)
    note = fit_input_shape(deploy_cfg, model_cfg)
    if note:
        print_log(note, logger='current', level=logging.WARNING)
    try:
        artifacts(deploy_cfg, work_dir)
    except ValueError as err:
        raise DeployError(f'{deploy_cfg_file}: {err}') from err
    check_checkpoint_fits(model_cfg, deploy_cfg, checkpoint_file)
    work_dir = Path(work_dir)
    work_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f'.{work_dir.name}.', dir=work_dir.parent) as scratch:
        files = artifacts(deploy_cfg, scratch)
        export_onnx(deploy_cfg, model_cfg, checkpoint_file, image, scratch, device)
        try:
            _convert(deploy_cfg, files, device)
        except RuntimeError as err:  # pnnx / TensorRT
            raise ConversionError(f'{files.backend} conversion failed ({work_dir} is unchanged): {err}') from err
        if dump_info:
            dump_sdk_info(deploy_cfg, model_cfg, scratch, checkpoint, device, files)
        _move_into_place(Path(scratch), work_dir)
    return artifacts(deploy_cfg, work_dir)


def _move_into_place(scratch: Path, work_dir: Path) -> None:
    """Move the files of a finished export from ``scratch`` into ``work_dir``, replacing those of a previous export;
    SDK files of a previous export that this one did not write would describe another model, so they go."""
    work_dir.mkdir(parents=True, exist_ok=True)
    for stale in _SDK_FILES:
        if not (scratch / stale).exists():
            (work_dir / stale).unlink(missing_ok=True)
    for file in scratch.iterdir():
        if file.is_file():
            os.replace(file, work_dir / file.name)


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

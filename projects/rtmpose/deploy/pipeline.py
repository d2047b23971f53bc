"""The whole deploy flow of ``tools/deploy.py``: checks, PyTorch -> ONNX, ONNX -> backend, SDK metadata."""
import errno
import importlib
import logging
import os
import tempfile
from pathlib import Path

from mmengine.config import Config
from mmengine.logging import print_log

from ..backends import backend_facts
from .artifacts import Artifacts, artifacts
from .checks import ConversionError, DeployError, check_work_dir, load_request
from .model_config import check_checkpoint_fits, fit_input_shape, mmdeploy_model_config
from .onnx_export import export_onnx
from .sdk_info import dump_sdk_info

#: The MMDeploy SDK files of ``--dump-info``
_SDK_FILES = ('deploy.json', 'pipeline.json', 'detail.json')
#: the errors of writing files: disk full, quota, file too large, read-only, no permission
_WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM)


def deploy(deploy_cfg_file: str, model_cfg_file: str, checkpoint: str, image: str, work_dir: str | Path,
           device: str = 'cpu', dump_info: bool = False, scope: str | None = None) -> Artifacts:
    """Convert a model as ``deploy_cfg_file`` says and write everything to ``work_dir``.

    All argument checks (:func:`rtmpose.deploy.checks.load_request`, that ``work_dir`` can be written:
    :func:`~rtmpose.deploy.checks.check_work_dir`, and that the checkpoint's weights fit the model:
    :func:`~rtmpose.deploy.model_config.check_checkpoint_fits`) run before anything is written. The conversion runs
    in a temporary folder beside ``work_dir``; only when it is complete do its files replace those of a previous
    export in ``work_dir``, and the files of a previous export that this one did not write (another backend's,
    SDK files) are removed, so ``work_dir`` holds one export, and a failed conversion (a converter's error, a full
    disk) leaves it as it was. The input shape comes from the model config
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
        rtmpose.deploy.checks.ConversionError: the conversion failed or could not be written (``work_dir``
            unchanged).
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
    check_work_dir(work_dir)
    check_checkpoint_fits(model_cfg, deploy_cfg, checkpoint_file)
    work_dir = Path(work_dir)
    try:
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
            _move_into_place(Path(scratch), work_dir, files.onnx)
    except OSError as err:
        if err.errno not in _WRITE_ERRORS:
            raise
        raise ConversionError(f'the export could not be written ({err}); {work_dir} is unchanged. Free disk space '
                              f'in {work_dir.parent}, or pass a work dir where there is room') from err
    return artifacts(deploy_cfg, work_dir)


def _move_into_place(scratch: Path, work_dir: Path, onnx_file: Path) -> None:
    """Move the files of a finished export from ``scratch`` into ``work_dir``, replacing those of a previous export,
    then remove the previous export's files that this one did not write: every backend's files are named after the
    ONNX file (``end2end.param``, ``end2end_fp16.onnx``...), and SDK files would describe another model."""
    work_dir.mkdir(parents=True, exist_ok=True)
    written = {file.name for file in scratch.iterdir() if file.is_file()}
    for name in written:
        os.replace(scratch / name, work_dir / name)
    stem = onnx_file.stem
    for file in work_dir.iterdir():
        export_file = file.name in _SDK_FILES or file.name.startswith((f'{stem}.', f'{stem}_'))
        if export_file and file.name not in written and file.is_file():
            file.unlink()


def _convert(deploy_cfg: Config, files: Artifacts, device: str) -> None:
    """ONNX -> the backend's files, by the converter its facts name (:attr:`~rtmpose.backends.BackendFacts.
    converter`: ``ncnn_convert.convert``...)."""
    module, function = backend_facts(files.backend).converter.rsplit('.', 1)
    getattr(importlib.import_module(f'.{module}', __package__), function)(files, deploy_cfg, device)

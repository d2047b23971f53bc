"""Checks of a deploy request that run before any work, so a bad request leaves nothing behind."""
import importlib.util
import tempfile
from pathlib import Path

import cv2
from mmengine.config import Config

from ..backends import BACKENDS, backend_class, backend_facts

#: The backends ``tools/deploy.py`` converts for (their facts name the converter and the packages it imports).
SUPPORTED_BACKENDS = tuple(name for name in BACKENDS if backend_facts(name).converter)


class DeployError(Exception):
    """A deploy request that cannot be carried out; the message says why and what to do."""


class ConversionError(DeployError):
    """A valid request whose conversion failed (pnnx, TensorRT); the previous export is left as it was."""


def load_request(deploy_cfg_file: str, model_cfg_file: str, checkpoint: str, image: str,
                 device: str) -> tuple[Config, Config, str | None]:
    """Validate the arguments of ``tools/deploy.py`` and load both configs.

    Checks that the files exist, that both configs parse, that the image decodes, that the checkpoint (unless
    ``'none'``) is a file, that the backend is supported with the packages it needs and can run on ``device`` here
    (:meth:`~rtmpose.backends.Backend.unavailable`: for TensorRT, a usable GPU).

    Returns:
        ``(deploy_cfg, model_cfg, checkpoint or None)``.

    Raises:
        DeployError: with a message naming the problem and the fix.
    """
    for what, path in (('deploy config', deploy_cfg_file), ('model config', model_cfg_file), ('image', image)):
        if not Path(path).is_file():
            raise DeployError(f'{what} not found: {path}')
    if checkpoint.lower() == 'none':
        checkpoint_file = None
    elif Path(checkpoint).is_file():
        checkpoint_file = checkpoint
    else:
        raise DeployError(f"checkpoint not found: {checkpoint} (pass a .pth file, or 'none' for random weights)")
    configs = []
    for what, path in (('deploy config', deploy_cfg_file), ('model config', model_cfg_file)):
        try:
            configs.append(Config.fromfile(path))
        except Exception as err:  # mmengine raises several types for unparsable configs
            raise DeployError(f'cannot load {what} {path}: {type(err).__name__}: {err}') from err
    deploy_cfg, model_cfg = configs
    for key in ('onnx_config', 'codebase_config', 'backend_config'):
        if key not in deploy_cfg:
            raise DeployError(f'{deploy_cfg_file} is not an MMDeploy deploy config: it has no {key}')
    if 'model' not in model_cfg:
        raise DeployError(f'{model_cfg_file} is not a model config: it has no `model`')
    if cv2.imread(image) is None:
        raise DeployError(f'cannot decode image {image} (corrupt or not an image)')
    backend = deploy_cfg.backend_config.get('type')
    if backend not in SUPPORTED_BACKENDS:
        raise DeployError(f'backend {backend!r} of {deploy_cfg_file} is not supported; use one of {SUPPORTED_BACKENDS}')
    problem = backend_class(backend).unavailable(device)
    if problem is not None:
        raise DeployError(problem)
    if backend == 'ncnn' and deploy_cfg.onnx_config.get('dynamic_axes'):
        raise DeployError(f'ncnn takes static shapes; {deploy_cfg_file} has dynamic_axes')
    for package in backend_facts(backend).converter_packages:
        if importlib.util.find_spec(package) is None:
            raise DeployError(f'the {backend} backend needs the `{package}` package: pip install {package}')
    return deploy_cfg, model_cfg, checkpoint_file


def check_work_dir(work_dir: str | Path) -> None:
    """Raise :class:`DeployError` unless ``work_dir`` is a folder, or can be created as one, that this process can
    write to, with the scratch folder of the export beside it (checked by writing a temporary file: permissions,
    read-only mounts).
    """
    path = Path(work_dir).absolute()
    if path.exists() and not path.is_dir():
        raise DeployError(f'the work dir {work_dir} is a file, not a folder: pass a folder (created when missing)')
    existing = next(folder for folder in path.parents if folder.exists())
    if not existing.is_dir():
        raise DeployError(f'the work dir {work_dir} cannot be created: {existing} is a file, not a folder')
    for folder in dict.fromkeys(folder for folder in (path, existing) if folder.is_dir()):
        try:
            tempfile.TemporaryFile(dir=folder).close()
        except OSError as err:
            raise DeployError(f'cannot write into {folder} ({err.strerror}): pass a work dir in a folder you can '
                              'write to') from err

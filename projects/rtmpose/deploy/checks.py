"""Checks of a deploy request that run before any work, so a bad request leaves nothing behind."""
import importlib.util
from pathlib import Path

import cv2
from mmengine.config import Config

from ..backends.tensorrt_backend import tensorrt_unavailable

SUPPORTED_BACKENDS = ('onnxruntime', 'tensorrt', 'ncnn')
#: Packages each conversion imports (tensorrt is checked with the GPU).
_CONVERTER_PACKAGES = {'onnxruntime': ['onnxruntime'], 'tensorrt': [], 'ncnn': ['pnnx']}


class DeployError(Exception):
    """A deploy request that cannot be carried out; the message says why and what to do."""


class ConversionError(DeployError):
    """A valid request whose conversion failed (pnnx, TensorRT); the previous export is left as it was."""


def load_request(deploy_cfg_file: str, model_cfg_file: str, checkpoint: str, image: str,
                 device: str) -> tuple[Config, Config, str | None]:
    """Validate the arguments of ``tools/deploy.py`` and load both configs.

    Checks that the files exist, that both configs parse, that the image decodes, that the checkpoint (unless
    ``'none'``) is a file, that the backend is supported with the packages it needs, and for TensorRT that a GPU
    is usable (:func:`~rtmpose.backends.tensorrt_backend.tensorrt_unavailable`).

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
    if backend == 'tensorrt':
        problem = tensorrt_unavailable(device)
        if problem is not None:
            raise DeployError(problem)
    if backend == 'ncnn' and deploy_cfg.onnx_config.get('dynamic_axes'):
        raise DeployError(f'ncnn takes static shapes; {deploy_cfg_file} has dynamic_axes')
    for package in _CONVERTER_PACKAGES[backend]:
        if importlib.util.find_spec(package) is None:
            raise DeployError(f'the {backend} backend needs the `{package}` package: pip install {package}')
    return deploy_cfg, model_cfg, checkpoint_file

"""Fit a deploy request to the model it converts: the model's own input size, dataset classes MMDeploy can find,
and weights that belong to the model."""
from __future__ import annotations

import copy

from mmengine.config import Config

from .checks import DeployError

_LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def model_input_size(model_cfg: Config) -> tuple[int, int] | None:
    """``(w, h)`` of a top-down pose config (its head's codec), or ``None`` (e.g. a detector config)."""
    decoder = model_cfg.model.get('head', {}).get('decoder')
    if not decoder or 'input_size' not in decoder:
        return None
    return tuple(int(v) for v in decoder['input_size'])


def fit_input_shape(deploy_cfg: Config, model_cfg: Config) -> str | None:
    """Set the deploy config's input shape (``onnx_config.input_shape`` and, for TensorRT, the engine's input
    shapes) to the pose model's input size, in place.

    The export traces the model at its own input size whatever the deploy config says; a deploy config written for
    another size would otherwise describe the wrong crop in ``pipeline.json`` and give ncnn the wrong static shape.

    Returns:
        A note saying what changed, or ``None`` when the deploy config already matched (or the model has no codec).
    """
    size = model_input_size(model_cfg)
    configured = deploy_cfg.onnx_config.get('input_shape')
    if size is None or configured is None or tuple(configured) == size:
        return None
    w, h = size
    deploy_cfg.onnx_config.input_shape = [w, h]
    for model_input in deploy_cfg.backend_config.get('model_inputs', []):
        for shapes in model_input.get('input_shapes', {}).values():
            for key, shape in shapes.items():
                shapes[key] = [*shape[:2], h, w]
    return (f'the deploy config is for {configured[0]}x{configured[1]} input, the model takes {w}x{h} (w x h): '
            f'exporting at {w}x{h}')


def mmdeploy_model_config(model_cfg: Config) -> Config:
    """A copy of ``model_cfg`` whose dataset types MMDeploy can look up.

    MMDeploy reads the keypoint metadata of a pose model from MMPose's dataset registry by the dataset's type name;
    a dataset class of ours that MMPose does not know (``DemoCocoDataset``) is named by the MMPose class it derives
    from (``CocoDataset``), which has the same metadata.
    """
    from mmpose.registry import DATASETS as MMPOSE_DATASETS

    from ..registry import DATASETS

    cfg = copy.deepcopy(model_cfg)
    for loader in _LOADERS:
        dataset = cfg.get(loader, {}).get('dataset') if isinstance(cfg.get(loader), dict) else None
        if not dataset or dataset.get('type') in MMPOSE_DATASETS.module_dict:
            continue
        cls = DATASETS.get(dataset['type'])
        known = [base.__name__ for base in getattr(cls, '__mro__', ())
                 if MMPOSE_DATASETS.module_dict.get(base.__name__) is base]
        if known:
            dataset['type'] = known[0]
    return cfg


def check_checkpoint_fits(model_cfg: Config, deploy_cfg: Config, checkpoint: str | None) -> None:
    """Raise :class:`~rtmpose.deploy.checks.DeployError` if ``checkpoint``'s weights do not fit the model of
    ``model_cfg`` (:func:`rtmpose.utils.checkpoint_fit.check_weights_fit`: the message says which model they fit)."""
    if checkpoint is None:
        return
    from mmdeploy.apis import build_task_processor
    from mmengine.registry import DefaultScope

    from ..engine.checkpoint_loading import load_local_checkpoint
    from ..utils.checkpoint_fit import CheckpointFileError, CheckpointMismatchError, check_weights_fit

    try:
        weights = load_local_checkpoint(checkpoint, map_location='cpu')
        with DefaultScope.overwrite_default_scope(model_cfg.get('default_scope')):
            model = build_task_processor(model_cfg, deploy_cfg, 'cpu').build_pytorch_model(None)
        ratio = float(getattr(getattr(model, 'head', None), 'simcc_split_ratio', 2.0))
        check_weights_fit(model.state_dict(), weights, checkpoint, ratio)
    except (CheckpointFileError, CheckpointMismatchError) as err:
        raise DeployError(str(err)) from err

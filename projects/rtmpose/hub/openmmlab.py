"""Networks from OpenMMLab configs for the torch runtime: an MMPose RTMPose (config + checkpoint) and an MMDetection
detector, as ``nn.Module`` s with the array-in, arrays-out contract of the exported models, and the crop /
letterbox settings their configs give.

The pose network is ``model.head(model.extract_feat(crops))`` (no flip test, as deployed) and outputs ``simcc_x``,
``simcc_y``; the detector outputs ``dets (1, N, 5)`` and ``labels (1, N)`` in input pixels, the layout of
MMDeploy's detection export. torch and OpenMMLab are imported here, so this module loads only for the torch runtime.

:func:`build_rtmpose_model` is the one builder of a pose model from a config without the pretrained-backbone
download: the torch backend, the exports (:mod:`rtmpose.deploy.torch_export`), the test helpers
(:mod:`rtmpose.testing`) and the benchmarks build through it.
"""
from __future__ import annotations

import copy
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ..inference.detector import LetterboxConfig
from ..inference.pose_model import CropConfig, DecodeConfig


class SimCCNet(nn.Module):
    """``forward(inputs (B, 3, h, w)) -> (simcc_x (B, K, w*r), simcc_y (B, K, h*r))`` of an MMPose top-down model."""

    def __init__(self, pose_model: nn.Module) -> None:
        super().__init__()
        self.model = pose_model

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        simcc_x, simcc_y = self.model.head(self.model.extract_feat(inputs))
        return simcc_x, simcc_y


class DetectionNet(nn.Module):
    """``forward(inputs (1, 3, H, W)) -> (dets (1, N, 5), labels (1, N))`` in input pixels, of an MMDetection
    detector (its ``predict`` without rescaling)."""

    def __init__(self, detector: nn.Module) -> None:
        super().__init__()
        self.detector = detector

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        from mmdet.structures import DetDataSample

        shape = tuple(inputs.shape[2:])
        sample = DetDataSample(metainfo=dict(img_shape=shape, ori_shape=shape, pad_shape=shape,
                                             batch_input_shape=shape, scale_factor=(1.0, 1.0)))
        pred = self.detector.predict(inputs, [sample], rescale=False)[0].pred_instances
        return torch.cat([pred.bboxes, pred.scores[:, None]], dim=1)[None], pred.labels[None]


def check_file(path: str | Path | None, what: str, optional: bool = False) -> str | None:
    """``path`` as a string, or ``FileNotFoundError`` naming ``what`` when it is not a file."""
    if path is None and optional:
        return None
    file = Path(str(path)).expanduser()
    if not file.is_file():
        raise FileNotFoundError(f'{what} not found: {str(file)!r} (the torch runtime takes an OpenMMLab config .py '
                                f'and, optionally, a checkpoint .pth)')
    return str(file)


def build_rtmpose_model(config: Any, checkpoint: str | Path | None = None, device: str = 'cpu',
                        scope: str | None = None) -> nn.Module:
    """The pose model of an RTMPose config, ready to run or export.

    Built like ``mmpose.apis.init_model`` builds it (backbone ``init_cfg`` and ``train_cfg`` dropped: no
    pretrained-backbone download; sync-BN reverted; eval mode on ``device``; ``model.cfg`` is the config), but in
    the registry scope ``scope`` (default: the config's ``default_scope``, else ``'rtmpose'``) without changing the
    process's default scope, and with ``checkpoint`` (a file the user named) loaded trusted. The weights are the
    modules' constructor initialisation, fixed by a ``torch.manual_seed`` before the call (``init_weights()``
    gives mmengine's).

    Args:
        config: a config file or a loaded ``mmengine.config.Config`` (copied, not changed).
        checkpoint: a ``.pth`` file, or ``None`` for the random weights.
    """
    from mmengine.config import Config
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import DefaultScope
    from mmengine.runner import load_checkpoint
    from mmpose.registry import MODELS

    from ..engine import trusted_checkpoints

    cfg = copy.deepcopy(config) if isinstance(config, Config) else Config.fromfile(str(config))
    model_cfg = cfg.model
    if 'init_cfg' in model_cfg.get('backbone', {}):
        model_cfg.backbone.init_cfg = None
    model_cfg.pop('train_cfg', None)
    with DefaultScope.overwrite_default_scope(scope or cfg.get('default_scope', 'rtmpose')):
        model = MODELS.build(model_cfg)
    model = revert_sync_batchnorm(model)
    if checkpoint is not None:
        with trusted_checkpoints():
            load_checkpoint(model, str(checkpoint), map_location='cpu')
    model.cfg = cfg
    return model.to(device).eval()


def load_pose_network(config: str | Path, checkpoint: str | Path | None,
                      device: str = 'cpu') -> tuple[SimCCNet, CropConfig, DecodeConfig, int]:
    """Build an MMPose RTMPose with :func:`build_rtmpose_model` and read its settings.

    Input size and SimCC split ratio come from the head's codec, mean/std/channel order from the model's data
    preprocessor, the box padding from the test pipeline.

    Returns:
        ``(network, crop, decode, num_keypoints)``.
    """
    config, checkpoint = check_file(config, 'RTMPose config'), check_file(checkpoint, 'RTMPose checkpoint', True)
    model = build_rtmpose_model(config, device=device)
    if checkpoint is not None:
        _load_fitting_weights(model, checkpoint)
    decoder = getattr(model.head, 'decoder', None)
    crop: dict[str, Any] = {'padding': _pipeline_padding(model.cfg)}
    if decoder is not None and hasattr(decoder, 'input_size'):
        crop['input_size'] = tuple(int(v) for v in decoder.input_size)
    preprocessor = getattr(model, 'data_preprocessor', None)
    if preprocessor is not None and getattr(preprocessor, '_enable_normalize', False):
        crop.update(mean=tuple(preprocessor.mean.flatten().tolist()), std=tuple(preprocessor.std.flatten().tolist()),
                    to_rgb=bool(getattr(preprocessor, '_channel_conversion', False)))
    decode = DecodeConfig(simcc_split_ratio=float(getattr(decoder, 'simcc_split_ratio', 2.0)))
    return SimCCNet(model), CropConfig(**crop), decode, int(getattr(model.head, 'out_channels', 17))


def _load_fitting_weights(model: nn.Module, checkpoint: str) -> None:
    """Load ``checkpoint`` into ``model`` (and its ``dataset_meta``), or raise
    :class:`~rtmpose.utils.checkpoint_fit.CheckpointMismatchError` saying which model the weights are for."""
    from mmengine.runner.checkpoint import _load_checkpoint_to_model

    from ..engine.checkpoint_loading import load_local_checkpoint
    from ..utils.checkpoint_fit import check_weights_fit

    weights = load_local_checkpoint(checkpoint, map_location='cpu')  # a checkpoint the user named
    check_weights_fit(model.state_dict(), weights, checkpoint, float(getattr(model.head, 'simcc_split_ratio', 2.0)))
    _load_checkpoint_to_model(model, weights)
    if 'dataset_meta' in weights.get('meta', {}):
        model.dataset_meta = weights['meta']['dataset_meta']


def load_detector_network(config: str | Path, checkpoint: str | Path | None,
                          device: str = 'cpu') -> tuple[DetectionNet, LetterboxConfig]:
    """Build an MMDetection detector with ``mmdet.apis.init_detector`` and read its test-time letterbox."""
    from mmdet.apis import init_detector

    from ..engine import trusted_checkpoints

    config, checkpoint = check_file(config, 'detector config'), check_file(checkpoint, 'detector checkpoint', True)
    with warnings.catch_warnings(), trusted_checkpoints():
        warnings.simplefilter('ignore')  # "checkpoint is None, use COCO classes by default"
        model = init_detector(config, checkpoint, device=device)
    return DetectionNet(model), _letterbox(model)


def _letterbox(model: nn.Module) -> LetterboxConfig:
    """The keep-ratio ``Resize`` + ``Pad`` of the test pipeline and the data preprocessor's normalisation."""
    settings: dict[str, Any] = {}
    for step in model.cfg.get('test_pipeline', model.cfg.test_dataloader.dataset.pipeline):
        if step['type'] == 'Resize':
            settings['input_size'] = tuple(step['scale'])
        elif step['type'] == 'Pad' and 'size' in step:
            settings['input_size'] = tuple(step['size'])
            pad_val = step.get('pad_val', 114)
            settings['pad_val'] = float(np.mean(pad_val.get('img', 114) if isinstance(pad_val, dict) else pad_val))
    preprocessor = model.data_preprocessor
    settings.update(mean=tuple(preprocessor.mean.flatten().tolist()), std=tuple(preprocessor.std.flatten().tolist()),
                    to_rgb=bool(getattr(preprocessor, '_channel_conversion', False)))
    return LetterboxConfig(**settings)


def _pipeline_padding(cfg: Any, default: float = 1.25) -> float:
    """``padding`` of ``GetBBoxCenterScale`` in the config's test pipeline (MMPose's default 1.25)."""
    try:
        pipeline = cfg.test_dataloader.dataset.pipeline
    except AttributeError:
        return default
    for step in pipeline:
        if step.get('type') in ('GetBBoxCenterScale', 'TopDownGetBboxCenterScale'):
            return float(step.get('padding', default))
    return default

"""Build our modules and MMPose's reference modules side by side from the same config.

Our classes come from the ``rtmpose`` scope, MMPose's from the ``mmpose`` scope of the same registry tree.
"""
from contextlib import contextmanager

import torch
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import DefaultScope
from mmpose.registry import KEYPOINT_CODECS, MODELS

import rtmpose.registry  # noqa: F401  (creates the rtmpose scope)

from tests.paths import CONFIGS


@contextmanager
def scope(name: str):
    with DefaultScope.overwrite_default_scope(name):
        yield


def build(registry, cfg: dict, scope_name: str):
    with scope(scope_name):
        return registry.build(cfg)


def model_cfg(arch: str) -> dict:
    """The model section of ``configs/rtmpose-{arch}_coco.py`` without the pretrained-backbone download."""
    cfg = Config.fromfile(str(CONFIGS / f'rtmpose-{arch}_coco.py')).model
    cfg.backbone.init_cfg = None
    return cfg


def model_pair(arch: str, seed: int = 0) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(ours, reference) RTMPose models; ours carries the reference's weights (loaded with strict=True)."""
    cfg = model_cfg(arch)
    torch.manual_seed(seed)
    ref = revert_sync_batchnorm(build(MODELS, cfg, 'mmpose'))
    ref.init_weights()
    ours = revert_sync_batchnorm(build(MODELS, cfg, 'rtmpose'))
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


def codec_pair(**kwargs):
    cfg = dict(type='SimCCLabel', **kwargs)
    return build(KEYPOINT_CODECS, cfg, 'rtmpose'), build(KEYPOINT_CODECS, cfg, 'mmpose')

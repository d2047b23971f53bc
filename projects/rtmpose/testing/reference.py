"""Our modules and MMPose's reference modules built side by side from the same config (differential tests).

Our classes come from the ``rtmpose`` scope, MMPose's from the ``mmpose`` scope of the same registry tree; a pair
``(ours, reference)`` is what the equivalence tests and ``benchmarks/equivalence_report.py`` compare.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from mmengine.config import Config, ConfigDict
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import DefaultScope, Registry
from mmpose.registry import KEYPOINT_CODECS, MODELS

import rtmpose.registry  # noqa: F401  (creates the rtmpose scope)


@contextmanager
def scope(name: str) -> Iterator[None]:
    """Make ``name`` (``'rtmpose'`` or ``'mmpose'``) the default registry scope inside the block."""
    with DefaultScope.overwrite_default_scope(name):
        yield


def build(registry: Registry, cfg: dict, scope_name: str):
    """``registry.build(cfg)`` with ``scope_name`` as the default scope (which library's class ``type`` names)."""
    with scope(scope_name):
        return registry.build(cfg)


def model_cfg(config_file: str | Path) -> ConfigDict:
    """The ``model`` section of an RTMPose config file, without the pretrained-backbone download."""
    cfg = Config.fromfile(str(config_file)).model
    cfg.backbone.init_cfg = None
    return cfg


def model_pair(config_file: str | Path, seed: int = 0) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(ours, reference) top-down RTMPose models of ``config_file``, SyncBN reverted to BN.

    The reference is initialised under ``torch.manual_seed(seed)``; ours carries its weights (loaded with
    ``strict=True``, so the state_dict keys and shapes are MMPose's).
    """
    cfg = model_cfg(config_file)
    torch.manual_seed(seed)
    ref = revert_sync_batchnorm(build(MODELS, cfg, 'mmpose'))
    ref.init_weights()
    ours = revert_sync_batchnorm(build(MODELS, cfg, 'rtmpose'))
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


def codec_pair(**kwargs):
    """(ours, reference) ``SimCCLabel`` codecs built with ``kwargs``."""
    cfg = dict(type='SimCCLabel', **kwargs)
    return build(KEYPOINT_CODECS, cfg, 'rtmpose'), build(KEYPOINT_CODECS, cfg, 'mmpose')


def loss_pair(**kwargs) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(ours, reference) ``KLDiscretLoss`` modules built with ``kwargs``."""
    cfg = dict(type='KLDiscretLoss', **kwargs)
    return build(MODELS, cfg, 'rtmpose'), build(MODELS, cfg, 'mmpose')

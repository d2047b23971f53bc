"""Our modules and MMPose's reference modules built side by side from the same config (differential tests).

Our classes come from the ``rtmpose`` scope, MMPose's from the ``mmpose`` scope of the same registry tree; a pair
``(ours, reference)`` is what the equivalence tests and ``benchmarks/equivalence_report.py`` compare.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from mmengine.registry import DefaultScope, Registry
from mmpose.registry import KEYPOINT_CODECS, MODELS

import rtmpose.registry  # noqa: F401  (creates the rtmpose scope)
from rtmpose.hub.openmmlab import build_rtmpose_model


@contextmanager
def scope(name: str) -> Iterator[None]:
    """Make ``name`` (``'rtmpose'`` or ``'mmpose'``) the default registry scope inside the block."""
    with DefaultScope.overwrite_default_scope(name):
        yield


def build(registry: Registry, cfg: dict, scope_name: str):
    """``registry.build(cfg)`` with ``scope_name`` as the default scope (which library's class ``type`` names)."""
    with scope(scope_name):
        return registry.build(cfg)


def model_pair(config_file: str | Path, seed: int = 0) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(ours, reference) top-down RTMPose models of ``config_file`` (:func:`~rtmpose.hub.openmmlab.build_rtmpose_model`
    in each scope), in training mode.

    The reference is initialised under ``torch.manual_seed(seed)`` (``init_weights``); ours carries its weights
    (loaded with ``strict=True``, so the state_dict keys and shapes are MMPose's).
    """
    torch.manual_seed(seed)
    ref = build_rtmpose_model(config_file, scope='mmpose').train()
    ref.init_weights()
    ours = build_rtmpose_model(config_file, scope='rtmpose').train()
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

"""RTMPose -> ONNX with ``torch.onnx`` alone (no MMDeploy), in the layout of MMDeploy's RTMPose export.

Input ``input`` ``(B, 3, h, w)`` and outputs ``simcc_x``, ``simcc_y`` (or whatever ``output_names`` the network
has), batch axis dynamic unless asked otherwise. ``tools/deploy.py`` is the full MMDeploy route (rewriters, TensorRT,
ncnn, SDK meta); this one serves the runtime's tests and benchmarks on a real RTMPose graph where MMDeploy is not
wanted, and writes the file atomically.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn


def build_rtmpose_model(config: str | Path, checkpoint: str | Path | None = None, device: str = 'cpu') -> nn.Module:
    """Build the pose model of an RTMPose config in its ``default_scope`` (``'rtmpose'`` for ours), without the
    pretrained-backbone download, load ``checkpoint`` when given, sync-BN reverted, in eval mode (``model.cfg`` is
    the config)."""
    from mmengine.config import Config
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import DefaultScope
    from mmengine.runner import load_checkpoint
    from mmpose.registry import MODELS

    cfg = Config.fromfile(str(config))
    model_cfg = cfg.model
    if 'init_cfg' in model_cfg.get('backbone', {}):
        model_cfg.backbone.init_cfg = None
    model_cfg.pop('train_cfg', None)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'rtmpose')):
        model = MODELS.build(model_cfg)
    model = revert_sync_batchnorm(model)
    if checkpoint is not None:
        from ..engine import trusted_checkpoints

        with trusted_checkpoints():
            load_checkpoint(model, str(checkpoint), map_location='cpu')
    model.cfg = cfg
    return model.to(device).eval()


def export_onnx(net: nn.Module, input_size: Sequence[int], out_file: str | Path,
                output_names: Sequence[str] = ('simcc_x', 'simcc_y'), batch: int | None = None,
                opset_version: int = 17) -> Path:
    """Export ``net`` (``forward(input (B, 3, h, w)) -> outputs``) to ``out_file`` (folder created, atomic).

    Args:
        input_size: ``(w, h)``.
        output_names: names of ``net``'s outputs, in order.
        batch: a static batch size, or ``None`` for a dynamic batch axis.
    """
    width, height = input_size
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_name(out_file.name + '.tmp')
    dynamic = None if batch else {name: {0: 'batch'} for name in ('input', *output_names)}
    with torch.no_grad():
        torch.onnx.export(net.eval(), (torch.zeros(batch or 1, 3, height, width),), str(tmp), dynamo=False,
                          input_names=['input'], output_names=list(output_names), opset_version=opset_version,
                          dynamic_axes=dynamic)
    tmp.replace(out_file)
    return out_file


def export_rtmpose_onnx(config: str | Path, out_file: str | Path, checkpoint: str | Path | None = None,
                        model: nn.Module | None = None, seed: int = 0) -> Path:
    """Export an RTMPose config (+ checkpoint; random weights seeded with ``seed`` without one), or an already
    built ``model``, to ONNX with outputs ``simcc_x``, ``simcc_y`` and a dynamic batch axis."""
    from ..hub.openmmlab import SimCCNet

    if model is None:
        torch.manual_seed(seed)
        model = build_rtmpose_model(config, checkpoint)
    return export_onnx(SimCCNet(model), model.head.decoder.input_size, out_file)

"""RTMPose -> ONNX with ``torch.onnx`` alone (no MMDeploy), in the layout of MMDeploy's RTMPose export.

Input ``input`` ``(B, 3, h, w)`` and outputs ``simcc_x``, ``simcc_y`` (or whatever ``output_names`` the network
has), batch axis dynamic unless asked otherwise. ``tools/deploy.py`` is the full MMDeploy route
(:func:`rtmpose.deploy.onnx_export.export_onnx`: rewriters, TensorRT, ncnn, SDK meta); this one serves the runtime's
tests and benchmarks on a real RTMPose graph where MMDeploy is not wanted, and writes the file atomically.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from ..utils.atomic_write import atomic_write


def export_module(net: nn.Module, input_size: Sequence[int], out_file: str | Path,
                  output_names: Sequence[str] = ('simcc_x', 'simcc_y'), batch: int | None = None,
                  opset_version: int = 17) -> Path:
    """Export ``net`` (``forward(input (B, 3, h, w)) -> outputs``) to ``out_file`` (folder created, atomic:
    :func:`~rtmpose.utils.atomic_write.atomic_write`).

    Args:
        input_size: ``(w, h)``.
        output_names: names of ``net``'s outputs, in order.
        batch: a static batch size, or ``None`` for a dynamic batch axis.
    """
    width, height = input_size
    dynamic = None if batch else {name: {0: 'batch'} for name in ('input', *output_names)}
    with torch.no_grad(), atomic_write(out_file) as f:
        torch.onnx.export(net.eval(), (torch.zeros(batch or 1, 3, height, width),), f, dynamo=False,
                          input_names=['input'], output_names=list(output_names), opset_version=opset_version,
                          dynamic_axes=dynamic)
    return Path(out_file)


def export_rtmpose_onnx(config: str | Path, out_file: str | Path, checkpoint: str | Path | None = None,
                        model: nn.Module | None = None, seed: int = 0) -> Path:
    """Export an RTMPose config (+ checkpoint; random weights seeded with ``seed`` without one), or an already
    built ``model``, to ONNX with outputs ``simcc_x``, ``simcc_y`` and a dynamic batch axis."""
    from ..hub.openmmlab import SimCCNet, build_rtmpose_model

    if model is None:
        torch.manual_seed(seed)
        model = build_rtmpose_model(config, checkpoint)
    return export_module(SimCCNet(model), model.head.decoder.input_size, out_file)

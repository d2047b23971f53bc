"""PyTorch: an ``nn.Module`` that maps a batch tensor to a tuple of tensors, called like the other backends."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .base import Backend, BackendFacts, Port


class TorchBackend(Backend):
    """An ``nn.Module`` run on numpy arrays.

    Args:
        module: ``forward(inputs (B, ...)) -> tuple of (B, ...) tensors``, in eval mode.
        input_shape: the input's shape, ints for static axes and names for dynamic ones (``('batch', 3, 256,
            192)``).
        output_names: names of the module's outputs, in order.
        source: what the module was built from, for messages (a config path).
        device: torch device (``'cpu'``, ``'cuda'``, ``'cuda:1'``...).
        threads: ``torch.set_num_threads`` (process-wide). Default 1: torch's default (one thread per core) makes
            OpenMP threads busy-wait for each other, and beside any other busy process a single-crop model runs
            tens of times slower (measured in benchmarks/results/torch_threads.md).
        max_batch_size: see :class:`~rtmpose.backends.base.Backend`.

    The module's 4-D weights are kept in channels-last (NHWC) memory format, so its convolutions run in the layout
    oneDNN and cuDNN compute fastest; outputs equal the default layout's within float32 rounding (measured in
    benchmarks/results/torch_runtime_speed.md).
    """

    facts = BackendFacts('torch', 'pass an OpenMMLab config .py (and its checkpoint)', aliases=('pytorch', ),
                         suffixes=('.py', ))

    def __init__(self, module: Any, input_shape: Sequence[int | str], output_names: Sequence[str], source: str,
                 device: str = 'cpu', threads: int | None = None, max_batch_size: int | None = None) -> None:
        import torch

        super().__init__(max_batch_size)
        torch.set_num_threads(int(threads or 1))
        self._torch = torch
        self.device = torch.device(device)
        self.module = module.to(self.device, memory_format=torch.channels_last).eval()
        self.source = source
        self.inputs = [Port('input', tuple(input_shape))]
        self.outputs = [Port(name, ('batch', '?')) for name in output_names]

    def forward(self, inputs: np.ndarray, output_names: Sequence[str]) -> list[np.ndarray]:
        with self._torch.inference_mode():
            outputs = self.module(self._torch.from_numpy(inputs).to(self.device))
        if not isinstance(outputs, (tuple, list)) or len(outputs) != len(self.outputs):
            raise ValueError(f'{self.source}: the module returned {type(outputs).__name__}, not the '
                             f'{len(self.outputs)} outputs {self.output_names}')
        by_name = dict(zip(self.output_names, outputs))
        return [by_name[name].float().cpu().numpy() for name in output_names]

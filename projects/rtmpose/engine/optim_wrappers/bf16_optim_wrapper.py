"""bfloat16 mixed-precision training on the device the model lives on, CPUs included."""
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from mmengine.logging import print_log
from mmengine.optim import OptimWrapper
from torch import nn

from ...registry import OPTIM_WRAPPERS


def bf16_supported(device_type: str) -> bool:
    """Whether ``device_type`` ('cpu', 'cuda') computes bfloat16 natively (CPU: AVX512-BF16 / AMX via oneDNN)."""
    if device_type == 'cpu':
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    if device_type == 'cuda':
        return torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    return False


@OPTIM_WRAPPERS.register_module()
class BF16OptimWrapper(OptimWrapper):
    """:class:`~mmengine.optim.OptimWrapper` that runs the forward pass and loss under ``torch.autocast`` in
    bfloat16 on the model's device.

    mmengine's ``AmpOptimWrapper`` refuses CPUs; this wrapper covers them (and CUDA). bfloat16 keeps float32's
    exponent range, so no loss scaling is needed; weights, gradients and optimizer state stay float32, and
    validation/testing (outside ``optim_context``) run in float32. Convolutions and matrix products run in
    bfloat16 (the normalisations and activations between them follow their inputs); the SimCC loss is computed in
    float32 (``KLDiscretLoss`` casts its inputs). On a device without native bfloat16 (an older CPU would emulate
    it, slower than float32) the wrapper logs a warning once and trains in float32.

    Args:
        *args, **kwargs: As :class:`~mmengine.optim.OptimWrapper` (``optimizer``, ``accumulative_counts``,
            ``clip_grad``).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._device_checked: dict[str, bool] = {}

    def _enabled(self, device_type: str) -> bool:
        if device_type not in self._device_checked:
            ok = bf16_supported(device_type)
            if not ok:
                print_log(f'BF16OptimWrapper: this {device_type} has no native bfloat16; training in float32',
                          logger='current', level=logging.WARNING)
            self._device_checked[device_type] = ok
        return self._device_checked[device_type]

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        device_type = next(model.parameters()).device.type
        with super().optim_context(model), torch.autocast(device_type, torch.bfloat16,
                                                          enabled=self._enabled(device_type)):
            yield

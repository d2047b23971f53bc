"""Force the TorchScript ONNX exporter for the duration of an MMDeploy export."""
import contextlib
import functools
import inspect
from collections.abc import Iterator

import torch


@contextlib.contextmanager
def torchscript_onnx_export() -> Iterator[None]:
    """Within the block, ``torch.onnx.export`` is called with ``dynamo=False``.

    torch >= 2.9 exports through ``torch.export`` (dynamo) by default. That exporter never calls the TorchScript
    passes and module functions that MMDeploy's rewriters patch, so the rewritten deploy graph (and our rewriters)
    would silently be bypassed. MMDeploy 1.3.1 calls ``torch.onnx.export`` without the argument; this patches
    the attribute ``torch.onnx.export`` only while the block runs and restores it afterwards. Versions of torch
    without the ``dynamo`` argument (< 2.5) export with TorchScript anyway and are left untouched.
    """
    original = torch.onnx.export
    if 'dynamo' not in inspect.signature(original).parameters:
        yield
        return

    @functools.wraps(original)
    def export(*args, **kwargs):
        kwargs.setdefault('dynamo', False)
        return original(*args, **kwargs)

    torch.onnx.export = export
    try:
        yield
    finally:
        torch.onnx.export = original

"""Runtimes: one small object per inference engine that takes a batch of arrays and returns arrays.

Every runtime implements :class:`~.base.Runtime` (``runtime(inputs (M, ...)) -> [outputs (M, ...)]``, batching
as the network allows). The pose model, the detector, ``tools/verify_backend.py``, the parity tests and the
benchmarks all run networks through these objects. Importing this package imports no inference engine; each is
imported when a network is opened.

>>> runtime = open_runtime('openvino', 'end2end.onnx', threads=2, precision='bf16')
>>> simcc_x, simcc_y = runtime(crops)  # crops (M, 3, 256, 192) float32
"""
from __future__ import annotations

import importlib
import inspect
from typing import Any

from .base import Port, Runtime

#: runtime name -> (module, class); the torch runtime wraps a module, so it is built directly, not by file.
_FILE_RUNTIMES = {'onnxruntime': ('onnx_runtime', 'OnnxRuntime'), 'openvino': ('openvino_runtime', 'OpenVINORuntime'),
                  'ncnn': ('ncnn_runtime', 'NcnnRuntime'), 'tensorrt': ('tensorrt_runtime', 'TensorRTRuntime')}
RUNTIMES = (*_FILE_RUNTIMES, 'torch')

__all__ = ['RUNTIMES', 'Port', 'Runtime', 'open_runtime', 'runtime_class', 'runtime_options']


def runtime_class(name: str) -> type[Runtime]:
    """The class of the runtime ``name`` (``'onnxruntime'``, ``'openvino'``, ``'ncnn'``, ``'tensorrt'``,
    ``'torch'``)."""
    if name == 'torch':
        from .torch_runtime import TorchRuntime
        return TorchRuntime
    if name not in _FILE_RUNTIMES:
        raise ValueError(f'unknown runtime {name!r}; choose one of {", ".join(RUNTIMES)}')
    module, cls = _FILE_RUNTIMES[name]
    return getattr(importlib.import_module(f'{__name__}.{module}'), cls)


def runtime_options(name: str) -> tuple[str, ...]:
    """The keyword options the runtime ``name`` takes besides its model files."""
    params = inspect.signature(runtime_class(name).__init__).parameters.values()
    return tuple(p.name for p in params if p.kind == p.KEYWORD_ONLY or (p.default is not p.empty))


def check_options(name: str, options: dict[str, Any]) -> None:
    """Raise ``ValueError`` for an option the runtime ``name`` does not have (instead of dropping it)."""
    known = runtime_options(name)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f'the {name} runtime has no option {", ".join(map(repr, unknown))}; its options are '
                         f'{", ".join(known)}')


def open_runtime(name: str, *files: Any, **options: Any) -> Runtime:
    """Open the network in ``files`` (``.onnx``; ``.param`` and ``.bin`` for ncnn; ``.engine``) with the runtime
    ``name``; ``options`` are the runtime class's keyword arguments (``device``, ``threads``...).

    Raises:
        ValueError: an unknown runtime or an option it does not have.
    """
    check_options(name, options)
    return runtime_class(name)(*files, **options)

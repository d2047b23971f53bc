"""Runtimes: one small object per inference engine that takes a batch of arrays and returns arrays.

Every runtime implements :class:`~.base.Backend` (``runtime(inputs (M, ...)) -> [outputs (M, ...)]``, batching
as the network allows). The pose model, the detector, ``tools/verify_backend.py``, the parity tests and the
benchmarks all run networks through these objects. Importing this package imports no inference engine; each is
imported when a network is opened.

>>> runtime = open_backend('openvino', 'end2end.onnx', threads=2, precision='bf16')
>>> simcc_x, simcc_y = runtime(crops)  # crops (M, 3, 256, 192) float32
"""
from __future__ import annotations

import importlib
import inspect
from typing import Any

from .base import Backend, Port

#: runtime name -> (module, class); the torch runtime wraps a module, so it is built directly, not by file.
_FILE_BACKENDS = {'onnxruntime': ('onnxruntime_backend', 'OnnxRuntimeBackend'),
                  'openvino': ('openvino_backend', 'OpenVINOBackend'), 'ncnn': ('ncnn_backend', 'NcnnBackend'),
                  'tensorrt': ('tensorrt_backend', 'TensorRTBackend')}
BACKENDS = (*_FILE_BACKENDS, 'torch')

__all__ = ['BACKENDS', 'Port', 'Backend', 'open_backend', 'backend_class', 'backend_options']


def backend_class(name: str) -> type[Backend]:
    """The class of the runtime ``name`` (``'onnxruntime'``, ``'openvino'``, ``'ncnn'``, ``'tensorrt'``,
    ``'torch'``)."""
    if name == 'torch':
        from .torch_backend import TorchBackend
        return TorchBackend
    if name not in _FILE_BACKENDS:
        raise ValueError(f'unknown runtime {name!r}; choose one of {", ".join(BACKENDS)}')
    module, cls = _FILE_BACKENDS[name]
    return getattr(importlib.import_module(f'{__name__}.{module}'), cls)


def backend_options(name: str) -> tuple[str, ...]:
    """The keyword options the runtime ``name`` takes besides its model files."""
    params = inspect.signature(backend_class(name).__init__).parameters.values()
    return tuple(p.name for p in params if p.kind == p.KEYWORD_ONLY or (p.default is not p.empty))


def check_options(name: str, options: dict[str, Any]) -> None:
    """Raise ``ValueError`` for an option the runtime ``name`` does not have (instead of dropping it)."""
    known = backend_options(name)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f'the {name} runtime has no option {", ".join(map(repr, unknown))}; its options are '
                         f'{", ".join(known)}')


def open_backend(name: str, *files: Any, **options: Any) -> Backend:
    """Open the network in ``files`` (``.onnx``; ``.param`` and ``.bin`` for ncnn; ``.engine``) with the runtime
    ``name``; ``options`` are the runtime class's keyword arguments (``device``, ``threads``...).

    Raises:
        ValueError: an unknown runtime or an option it does not have.
    """
    check_options(name, options)
    return backend_class(name)(*files, **options)

"""Backends: one small object per inference engine that takes a batch of arrays and returns arrays.

Every backend implements :class:`~.base.Backend` (``backend(inputs (M, ...)) -> [outputs (M, ...)]``, batching
as the network allows) in a module ``<name>_backend.py`` of this package, and declares its
:class:`~.base.BackendFacts` (name, aliases, model files, hint, deploy). The modules are found here by that name:
the table of facts, :data:`BACKENDS` and every list of backends in the package derive from them, so adding a backend
is adding its module (and its test). The pose model, the detector, ``tools/verify_backend.py``, the parity tests and
the benchmarks all run networks through these objects. Importing this package imports no inference engine; each is
imported when a network is opened.

>>> backend = open_backend('openvino', 'end2end.onnx', threads=2, precision='bf16')
>>> simcc_x, simcc_y = backend(crops)  # crops (M, 3, 256, 192) float32
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

from .base import Backend, BackendFacts, Port

__all__ = ['BACKENDS', 'Port', 'Backend', 'BackendFacts', 'open_backend', 'backend_class', 'backend_facts',
           'backend_options', 'backend_name']


def _discover() -> dict[str, type[Backend]]:
    """``{name: class}`` of the :class:`Backend` subclasses with facts in this package's ``*_backend`` modules; the
    default backend (the one that owns ``.onnx`` files) first, then by name."""
    classes = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.endswith('_backend'):
            for cls in vars(importlib.import_module(f'{__name__}.{module.name}')).values():
                if inspect.isclass(cls) and issubclass(cls, Backend) and 'facts' in vars(cls):
                    classes[cls.facts.name] = cls
    return dict(sorted(classes.items(), key=lambda item: ('.onnx' not in item[1].facts.suffixes, item[0])))


_CLASSES = _discover()
#: The backend names, the default first (``'onnxruntime'``, then ``'ncnn'``, ``'openvino'``...).
BACKENDS = tuple(_CLASSES)
_NAMES = {alias: name for name, cls in _CLASSES.items() for alias in (name, *cls.facts.aliases)}


def backend_name(name: str) -> str:
    """The backend ``name`` or one of its aliases (``'ort'``, any case) as its name (``'onnxruntime'``).

    Raises:
        ValueError: an unknown name (the message lists the backends).
    """
    try:
        return _NAMES[name.lower()]
    except KeyError:
        raise ValueError(f'unknown backend {name!r}; choose one of {", ".join(BACKENDS)}') from None


def backend_class(name: str) -> type[Backend]:
    """The class of the backend ``name`` (or an alias)."""
    return _CLASSES[backend_name(name)]


def backend_facts(name: str | None = None) -> BackendFacts:
    """The :class:`~.base.BackendFacts` of the backend ``name`` (or an alias); ``None``: of the default backend,
    the one ONNX files and model names run on unless told."""
    return backend_class(name or BACKENDS[0]).facts


def backend_options(name: str) -> tuple[str, ...]:
    """The keyword options the backend ``name`` takes besides its model files."""
    params = inspect.signature(backend_class(name).__init__).parameters.values()
    return tuple(p.name for p in params if p.kind == p.KEYWORD_ONLY or (p.default is not p.empty))


def check_options(name: str, options: dict[str, Any]) -> None:
    """Raise ``ValueError`` for an option the backend ``name`` does not have (instead of dropping it)."""
    known = backend_options(name)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f'the {name} backend has no option {", ".join(map(repr, unknown))}; its options are '
                         f'{", ".join(known)}')


def open_backend(name: str, *files: Any, **options: Any) -> Backend:
    """Open the network in ``files`` (``.onnx``; ``.param`` and ``.bin`` for ncnn; ``.engine``) with the backend
    ``name``; ``options`` are the backend class's keyword arguments (``device``, ``threads``...).

    Raises:
        ValueError: an unknown backend or an option it does not have.
    """
    check_options(name, options)
    return backend_class(name)(*files, **options)

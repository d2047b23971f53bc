"""RTMPose (arXiv 2303.07399) as an MMPose plugin.

``import rtmpose`` is light (no torch, no OpenMMLab import), so the ONNX Runtime inference path
(:mod:`rtmpose.inference`) runs without the training stack. The OpenMMLab side registers itself on demand: a config
with ``default_scope = 'rtmpose'`` makes mmengine import :mod:`rtmpose.registry`, which only defines registries; they
import :mod:`rtmpose.models`, :mod:`rtmpose.codecs`, :mod:`rtmpose.datasets`, :mod:`rtmpose.evaluation` and
:mod:`rtmpose.engine` the first time they are searched. Submodules are also reachable as attributes
(``rtmpose.models``), imported on first access.
"""
import importlib

__version__ = '0.1.0'
_SUBMODULES = ('backends', 'codecs', 'datasets', 'deploy', 'engine', 'evaluation', 'hub', 'inference', 'media',
               'metainfo', 'models', 'registry', 'synthetic', 'testing', 'utils', 'webui')
__all__ = ['__version__', *_SUBMODULES]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f'{__name__}.{name}')
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

"""RTMPose (arXiv 2303.07399) as an MMPose plugin.

``import rtmpose`` (or ``custom_imports = dict(imports=['rtmpose'])`` in a config) registers the project's modules
into the ``rtmpose`` scope; see :mod:`rtmpose.registry`.
"""
from . import codecs, models  # noqa: F401  (registers the modules)
from .registry import KEYPOINT_CODECS, MODELS

__version__ = '0.1.0'
__all__ = ['KEYPOINT_CODECS', 'MODELS', '__version__']

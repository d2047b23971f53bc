"""Keypoint codecs: keypoints <-> training targets / network outputs.

:mod:`.simcc_decode` is numpy only and imported here; :class:`SimCCLabel` (MMPose codec, imports torch) is loaded on
first access, so the runtime can use the decode rule without the training stack.
"""
import importlib

# Imported, not lazy: the function shares its module's name, and a lazy lookup would return the module once the
# codec (or anyone) has imported ``rtmpose.codecs.simcc_decode``.
from .simcc_decode import simcc_decode, simcc_maximum

__all__ = ['SimCCLabel', 'simcc_decode', 'simcc_maximum']


def __getattr__(name: str):
    if name == 'SimCCLabel':
        return importlib.import_module(f'{__name__}.simcc_label').SimCCLabel
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

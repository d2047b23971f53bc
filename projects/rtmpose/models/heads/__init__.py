"""Prediction heads."""
from .rtmcc_head import FlipTestInputError, RTMCCHead

__all__ = ['FlipTestInputError', 'RTMCCHead']

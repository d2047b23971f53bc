"""Prediction heads."""
from .rtmcc_head import RTMCCHead

__all__ = ['RTMCCHead']

"""Building blocks of the RTMCC head."""
from .rope import rope
from .rtmcc_block import RTMCCBlock, UnsupportedActivationError
from .scale import Scale
from .scale_norm import ScaleNorm

__all__ = ['RTMCCBlock', 'Scale', 'ScaleNorm', 'UnsupportedActivationError', 'rope']

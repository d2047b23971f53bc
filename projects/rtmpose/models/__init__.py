"""RTMPose model components: the RTMCC head, its GAU block and layers, and the SimCC KL loss."""
from .heads import RTMCCHead
from .layers import RTMCCBlock, Scale, ScaleNorm, rope
from .losses import KLDiscretLoss

__all__ = ['KLDiscretLoss', 'RTMCCBlock', 'RTMCCHead', 'Scale', 'ScaleNorm', 'rope']

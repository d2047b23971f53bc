"""Keypoint codecs: keypoints <-> training targets / network outputs."""
from .simcc_label import SimCCLabel

__all__ = ['SimCCLabel']

"""Keypoint sets: names, skeleton, OKS sigmas and flip pairs of a dataset's keypoints (numpy only).

The values are MMPose's dataset metainfo (``configs/_base_/datasets/coco.py``); the runtime (OKS NMS, drawing,
JSON records) and the demo dataset take them from here instead of keeping their own copies.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class KeypointSet:
    """The keypoints a model predicts.

    Attributes:
        name: dataset name (``'coco'``).
        keypoint_names: ``K`` names in output order.
        skeleton: links as 0-based ``(i, j)`` keypoint index pairs.
        sigmas: ``(K,)`` OKS sigmas.
        flip_pairs: 0-based ``(left, right)`` index pairs swapped by a horizontal flip.
    """

    name: str
    keypoint_names: tuple[str, ...]
    skeleton: tuple[tuple[int, int], ...]
    sigmas: np.ndarray
    flip_pairs: tuple[tuple[int, int], ...]

    @property
    def num_keypoints(self) -> int:
        return len(self.keypoint_names)

    def coco_skeleton(self) -> list[list[int]]:
        """The skeleton 1-based, as COCO annotation files write it in ``categories[].skeleton``."""
        return [[i + 1, j + 1] for i, j in self.skeleton]


COCO17 = KeypointSet(
    name='coco',
    keypoint_names=('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
                    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
                    'right_knee', 'left_ankle', 'right_ankle'),
    skeleton=((15, 13), (13, 11), (16, 14), (14, 12), (11, 12), (5, 11), (6, 12), (5, 6), (5, 7), (6, 8), (7, 9),
              (8, 10), (1, 2), (0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6)),
    sigmas=np.array([.026, .025, .025, .035, .035, .079, .079, .072, .072, .062, .062, .107, .107, .087, .087, .089,
                     .089]),
    flip_pairs=((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16)),
)

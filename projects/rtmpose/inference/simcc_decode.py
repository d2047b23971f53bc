"""Vectorised numpy decoding of SimCC outputs (RTMPose's coordinate classification head)."""
from __future__ import annotations

import numpy as np


def simcc_decode(simcc_x: np.ndarray, simcc_y: np.ndarray,
                 simcc_split_ratio: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Decode a batch of SimCC vectors into keypoints in model-input pixels.

    Args:
        simcc_x: ``(N, K, Wx)`` per-keypoint x-bin scores (``Wx = input_w * simcc_split_ratio``).
        simcc_y: ``(N, K, Wy)`` per-keypoint y-bin scores.
        simcc_split_ratio: bins per input pixel.

    Returns:
        ``keypoints`` ``(N, K, 2)`` float32 ``= argmax / simcc_split_ratio`` per axis and ``scores`` ``(N, K)``
        float32 ``= min(max_x, max_y)``. Where the score is ``<= 0`` the bin location is set to -1 before the
        division (so the keypoint is ``-1 / simcc_split_ratio``), exactly as MMPose's ``get_simcc_maximum`` +
        ``SimCCLabel.decode`` (no DARK refinement, as in the official deployment).
    """
    simcc_x = np.asarray(simcc_x)
    simcc_y = np.asarray(simcc_y)
    if simcc_x.ndim != 3 or simcc_y.ndim != 3 or simcc_x.shape[:2] != simcc_y.shape[:2]:
        raise ValueError(f'simcc_x and simcc_y must be (N, K, Wx) and (N, K, Wy) with the same N, K; '
                         f'got {simcc_x.shape} and {simcc_y.shape}')
    if simcc_x.shape[2] == 0 or simcc_y.shape[2] == 0:
        raise ValueError(f'SimCC vectors have no bins: {simcc_x.shape}, {simcc_y.shape}')
    locs = np.stack((simcc_x.argmax(axis=2), simcc_y.argmax(axis=2)), axis=-1).astype(np.float32)
    scores = np.minimum(simcc_x.max(axis=2), simcc_y.max(axis=2)).astype(np.float32)
    locs[scores <= 0] = -1.0
    locs /= np.float32(simcc_split_ratio)
    return locs, scores

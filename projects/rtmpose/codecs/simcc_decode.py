"""The SimCC decode rule, in numpy only (no torch): the one definition the codec, the runtime and the tools share.

RTMPose's keypoint of an axis is the argmax bin of its SimCC vector, its score the smaller of the two axis maxima,
and a keypoint whose score is ``<= 0`` gets bin ``-1`` (MMPose's ``get_simcc_maximum``). Deployed models and every
backend's outputs are compared through this rule, so it exists once.
"""
from __future__ import annotations

import numpy as np


def simcc_maximum(simcc_x: np.ndarray, simcc_y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Argmax bins and scores of SimCC vectors.

    Args:
        simcc_x: ``(..., Wx)`` x-bin scores.
        simcc_y: ``(..., Wy)`` y-bin scores, same leading shape.

    Returns:
        ``locations`` ``(..., 2)`` float32 in bins (``-1`` where the score is ``<= 0``) and ``scores`` ``(...)``
        ``= min(max_x, max_y)`` in the input dtype.
    """
    locations = np.stack((simcc_x.argmax(axis=-1), simcc_y.argmax(axis=-1)), axis=-1).astype(np.float32)
    scores = np.minimum(simcc_x.max(axis=-1), simcc_y.max(axis=-1))
    locations[scores <= 0] = -1.0
    return locations, scores


def simcc_decode(simcc_x: np.ndarray, simcc_y: np.ndarray,
                 simcc_split_ratio: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Decode a batch of SimCC vectors into keypoints in model-input pixels (no DARK, as deployed).

    Args:
        simcc_x: ``(N, K, Wx)`` per-keypoint x-bin scores (``Wx = input_w * simcc_split_ratio``).
        simcc_y: ``(N, K, Wy)`` per-keypoint y-bin scores.
        simcc_split_ratio: bins per input pixel.

    Returns:
        ``keypoints`` ``(N, K, 2)`` float32 ``= bins / simcc_split_ratio`` (``-1 / simcc_split_ratio`` where the
        score is ``<= 0``, see :func:`simcc_maximum`) and ``scores`` ``(N, K)`` float32.

    Raises:
        ValueError: the arrays are not ``(N, K, W)`` with the same ``N, K``, or have no bins.
    """
    simcc_x = np.asarray(simcc_x)
    simcc_y = np.asarray(simcc_y)
    if simcc_x.ndim != 3 or simcc_y.ndim != 3 or simcc_x.shape[:2] != simcc_y.shape[:2]:
        raise ValueError(f'simcc_x and simcc_y must be (N, K, Wx) and (N, K, Wy) with the same N, K; '
                         f'got {simcc_x.shape} and {simcc_y.shape}')
    if simcc_x.shape[2] == 0 or simcc_y.shape[2] == 0:
        raise ValueError(f'SimCC vectors have no bins: {simcc_x.shape}, {simcc_y.shape}')
    locations, scores = simcc_maximum(simcc_x, simcc_y)
    locations /= np.float32(simcc_split_ratio)
    return locations, scores.astype(np.float32)

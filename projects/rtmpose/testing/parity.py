"""Keypoint parity between the PyTorch model and a converted model on the same crops."""
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class Parity:
    """How far a converted model's keypoints are from the reference's, over ``num_keypoints`` keypoints.

    Attributes:
        max_px: Largest keypoint distance in input (crop) pixels.
        mean_px: Mean keypoint distance in input pixels.
        max_score_diff: Largest absolute score difference.
        exact_fraction: Fraction of keypoints at exactly the same position.
        num_keypoints: Number of compared keypoints (crops x K).
    """

    max_px: float
    mean_px: float
    max_score_diff: float
    exact_fraction: float
    num_keypoints: int

    def as_dict(self) -> dict:
        return asdict(self)


def torch_outputs(model: nn.Module, inputs: np.ndarray) -> dict[str, np.ndarray]:
    """``simcc_x (N, K, Wx)`` and ``simcc_y (N, K, Wy)`` of a ``TopdownPoseEstimator`` on ``(N, 3, h, w)`` crops."""
    with torch.no_grad():
        simcc_x, simcc_y = model(torch.from_numpy(inputs), None, mode='tensor')
    return dict(simcc_x=simcc_x.numpy(), simcc_y=simcc_y.numpy())


def keypoints_and_scores(outputs: dict[str, np.ndarray], decoder) -> tuple[np.ndarray, np.ndarray]:
    """``keypoints (N, K, 2)`` in input pixels and ``scores (N, K)`` from a model's outputs.

    SimCC outputs (``simcc_x``, ``simcc_y``) are decoded with ``decoder`` (the model's ``SimCCLabel``); models
    exported with the decode inside (``keypoints``, ``scores``) are returned as they are.
    """
    if 'keypoints' in outputs:
        return outputs['keypoints'], outputs['scores']
    return decoder.decode(outputs['simcc_x'], outputs['simcc_y'])


def compare(reference: tuple[np.ndarray, np.ndarray], other: tuple[np.ndarray, np.ndarray]) -> Parity:
    """:class:`Parity` of ``other = (keypoints, scores)`` against ``reference``; shapes ``(N, K, 2)``, ``(N, K)``."""
    (ref_kpts, ref_scores), (kpts, scores) = reference, other
    if ref_kpts.shape != kpts.shape or ref_scores.shape != scores.shape:
        raise ValueError(f'shapes differ: keypoints {ref_kpts.shape} vs {kpts.shape}, '
                         f'scores {ref_scores.shape} vs {scores.shape}')
    dist = np.linalg.norm(kpts.astype(np.float64) - ref_kpts, axis=-1)
    return Parity(max_px=float(dist.max()), mean_px=float(dist.mean()),
                  max_score_diff=float(np.abs(scores.astype(np.float64) - ref_scores).max()),
                  exact_fraction=float((dist == 0).mean()), num_keypoints=int(dist.size))

"""Pose non-maximum suppression with COCO's object keypoint similarity (OKS)."""
from __future__ import annotations

import numpy as np

from ..metainfo import COCO17


def oks_iou(kpts_a: np.ndarray, kpts_b: np.ndarray, area_a: float, areas_b: np.ndarray,
            sigmas: np.ndarray | None = None, vis_thr: float | None = None,
            scores_a: np.ndarray | None = None, scores_b: np.ndarray | None = None) -> np.ndarray:
    """OKS between one pose and ``N`` others (COCO formula, as MMPose's ``oks_iou``).

    ``oks = mean_k exp(-d_k^2 / (2 * s^2 * (2 sigma_k)^2))`` with ``s^2 = (area_a + area_b) / 2``.

    Args:
        kpts_a: ``(K, 2)`` keypoints of the reference pose.
        kpts_b: ``(N, K, 2)`` keypoints of the other poses.
        area_a: object area (scale^2) of the reference pose.
        areas_b: ``(N,)`` areas of the other poses.
        sigmas: ``(K,)`` per-keypoint sigmas; ``None`` = COCO-17 (requires ``K == 17``).
        vis_thr: when given (with ``scores_a``/``scores_b``), only keypoints visible in both poses
            (score > ``vis_thr``) count; a pair without any such keypoint has OKS 0.
        scores_a: ``(K,)`` keypoint scores of the reference pose.
        scores_b: ``(N, K)`` keypoint scores of the other poses.

    Returns:
        ``(N,)`` float64 OKS values in ``[0, 1]``.
    """
    kpts_a = np.asarray(kpts_a, dtype=np.float64)
    kpts_b = np.asarray(kpts_b, dtype=np.float64).reshape(-1, *kpts_a.shape)
    areas_b = np.asarray(areas_b, dtype=np.float64).reshape(-1)
    num_kpts = kpts_a.shape[0]
    sigmas = _check_sigmas(sigmas, num_kpts)
    variances = (2.0 * sigmas) ** 2
    dist2 = ((kpts_b - kpts_a) ** 2).sum(axis=-1)  # (N, K)
    denom = variances * ((area_a + areas_b)[:, None] / 2.0 + np.spacing(1)) * 2.0
    sim = np.exp(-dist2 / denom)
    if vis_thr is None:
        return sim.mean(axis=1) if num_kpts else np.zeros(len(kpts_b))
    if scores_a is None or scores_b is None:
        raise ValueError('vis_thr needs the keypoint scores scores_a (K,) and scores_b (N, K)')
    mask = (np.asarray(scores_a).reshape(1, -1) > vis_thr) & (np.asarray(scores_b).reshape(len(kpts_b), -1) > vis_thr)
    count = mask.sum(axis=1)
    return np.where(count > 0, (sim * mask).sum(axis=1) / np.maximum(count, 1), 0.0)


def oks_nms(keypoints: np.ndarray, scores: np.ndarray, areas: np.ndarray, thr: float = 0.9,
            sigmas: np.ndarray | None = None, vis_thr: float | None = None,
            keypoint_scores: np.ndarray | None = None) -> np.ndarray:
    """Greedy OKS non-maximum suppression.

    Poses are visited by decreasing ``scores`` (ties keep input order); each kept pose removes the remaining poses
    whose OKS with it is greater than ``thr``.

    Args:
        keypoints: ``(N, K, 2)``.
        scores: ``(N,)`` pose scores.
        areas: ``(N,)`` pose areas (e.g. box width * height).
        thr: OKS above which a pose counts as a duplicate.
        sigmas: ``(K,)``; ``None`` = COCO-17.
        vis_thr: see :func:`oks_iou` (needs ``keypoint_scores``).
        keypoint_scores: ``(N, K)``.

    Returns:
        ``(M,)`` int64 indices of the kept poses, highest score first.
    """
    keypoints = np.asarray(keypoints, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    areas = np.asarray(areas, dtype=np.float64).reshape(-1)
    if len(scores) == 0:
        return np.zeros(0, dtype=np.int64)
    if keypoints.ndim != 3 or not len(keypoints) == len(scores) == len(areas):
        raise ValueError(f'keypoints (N, K, 2), scores (N,), areas (N,) must agree; got {keypoints.shape}, '
                         f'{scores.shape}, {areas.shape}')
    kpt_scores = None if keypoint_scores is None else np.asarray(keypoint_scores).reshape(len(scores), -1)
    order = np.argsort(-scores, kind='stable')
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        if not rest.size:
            break
        ious = oks_iou(keypoints[i], keypoints[rest], areas[i], areas[rest], sigmas, vis_thr,
                       None if kpt_scores is None else kpt_scores[i],
                       None if kpt_scores is None else kpt_scores[rest])
        order = rest[ious <= thr]
    return np.asarray(keep, dtype=np.int64)


def _check_sigmas(sigmas: np.ndarray | None, num_kpts: int) -> np.ndarray:
    if sigmas is None:
        if num_kpts != len(COCO17.sigmas):
            raise ValueError(f'no default sigmas for {num_kpts} keypoints (COCO-17 has 17); pass sigmas')
        return COCO17.sigmas
    sigmas = np.asarray(sigmas, dtype=np.float64).reshape(-1)
    if len(sigmas) != num_kpts:
        raise ValueError(f'{len(sigmas)} sigmas for {num_kpts} keypoints')
    return sigmas

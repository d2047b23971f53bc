"""Box NMS: class-aware for detectors, as MMDeploy's in-graph post-processing does, for a detector exported without
it (ncnn has no NonMaxSuppression layer); plain for pose boxes."""
from __future__ import annotations

import cv2
import numpy as np


def nms_dets(boxes: np.ndarray, scores: np.ndarray, score_thr: float, nms_thr: float = 0.6, max_dets: int = 100,
             label: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Threshold, then class-aware NMS.

    Args:
        boxes: ``(N, 4)`` xyxy.
        scores: ``(N, C)`` class scores (or ``(N,)`` for one class).
        score_thr: boxes whose best class scores below it are dropped first (they could only suppress boxes that
            score even lower, so the kept boxes are the same as thresholding after the NMS).
        nms_thr: IoU above which the lower-scoring box of the same class is suppressed.
        max_dets: at most this many boxes, highest scores first.
        label: keep only this class (``None``: all).

    Returns:
        ``dets`` ``(M, 5)`` float32 (``x1, y1, x2, y2, score``) and ``labels`` ``(M,)`` int64.
    """
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
    if len(boxes) == 0:
        return np.zeros((0, 5), np.float32), np.zeros(0, np.int64)
    scores = np.asarray(scores, np.float32).reshape(len(boxes), -1)
    labels = scores.argmax(axis=1)
    best = scores[np.arange(len(boxes)), labels]
    keep = np.flatnonzero(np.isfinite(best) & (best >= score_thr) & np.isfinite(boxes).all(axis=1))
    if label is not None:
        keep = keep[labels[keep] == label]
    boxes, best, labels = boxes[keep], best[keep], labels[keep]
    if len(boxes) == 0:
        return np.zeros((0, 5), np.float32), np.zeros(0, np.int64)
    # class-aware NMS: shift each class far away from the others (MMCV's batched_nms trick)
    shifted = boxes + labels[:, None].astype(np.float32) * (float(np.abs(boxes).max()) * 2 + 1.0)
    kept = nms_indices(shifted, best, nms_thr, max_dets)
    return np.concatenate([boxes[kept], best[kept, None]], axis=1).astype(np.float32), labels[kept].astype(np.int64)


def nms_indices(boxes: np.ndarray, scores: np.ndarray, nms_thr: float, max_dets: int | None = None) -> np.ndarray:
    """Greedy NMS: visit boxes by decreasing score (ties in input order), keep a box unless its IoU with a kept one
    is above ``nms_thr``.

    Args:
        boxes: ``(N, 4)`` xyxy.
        scores: ``(N,)``.
        nms_thr: IoU above which the lower-scoring box is suppressed.
        max_dets: at most this many kept (``None``: all).

    Returns:
        ``(M,)`` int64 indices of the kept boxes, highest score first.
    """
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
    if len(boxes) == 0:
        return np.zeros(0, np.int64)
    scores = np.asarray(scores, np.float32).reshape(-1)
    xywh = np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], axis=1)
    ranks = (scores - scores.min() + 1.0).tolist()  # >= 1, same order: OpenCV keeps scores strictly above 0.5
    top_k = len(boxes) if max_dets is None else int(max_dets)
    kept = cv2.dnn.NMSBoxes(xywh.tolist(), ranks, 0.5, float(nms_thr), top_k=top_k)
    return np.asarray(kept, np.int64).reshape(-1)[:top_k]

"""COCO ground truth of a painted figure: keypoint visibility, tight box and area.

Keypoint visibility follows COCO: 2 = visible, 1 = inside the image but hidden (by a nearer figure, a blob, or the
far side of the head), 0 = outside the image (then x = y = 0). ``bbox`` is the tight box of the figure's pixels
inside the image and ``area`` their count (the role of COCO's segmentation area in OKS).
"""
from __future__ import annotations

import numpy as np

from rtmpose.metainfo import COCO17

from .body import NUM_FACE_KEYPOINTS, Body3D, face_hidden
from .figure import PaintedFigure


def _visibility(labels: np.ndarray, label: int, body: Body3D, keypoints: np.ndarray) -> np.ndarray:
    """``(17,)`` COCO visibility of the figure painted as ``label`` into the label map ``labels`` ``(H, W)``."""
    height, width = labels.shape
    x, y = keypoints[:, 0], keypoints[:, 1]
    inside = (x >= 0) & (x <= width - 1) & (y >= 0) & (y <= height - 1)
    visibility = np.where(inside, 2, 0)
    xi = np.clip(np.round(x).astype(int), 0, width - 1)
    yi = np.clip(np.round(y).astype(int), 0, height - 1)
    hidden = labels[yi, xi] > label  # painted over by a later (nearer) figure or an occluder
    hidden[:NUM_FACE_KEYPOINTS] |= face_hidden(body)
    visibility[inside & hidden] = 1
    return visibility


def annotate(labels: np.ndarray, label: int, body: Body3D, figure: PaintedFigure) -> dict | None:
    """The annotation of one painted figure; ``None`` if no keypoint is labelled.

    Args:
        labels: ``(H, W)`` int16 label map of the finished scene: the painting order of the figure on top, or a
            larger occluder label, -1 for background.
        label: this figure's value in ``labels``.

    Returns:
        ``keypoints`` ``(17, 3)`` float64 (x, y, v), ``bbox`` ``[x, y, w, h]`` (integers) and ``area``.
    """
    height, width = labels.shape
    keypoints, origin = figure.keypoints, figure.origin
    visibility = _visibility(labels, label, body, keypoints)
    if not visibility.any():
        return None
    coco = np.zeros((COCO17.num_keypoints, 3))
    coco[:, :2] = np.where(visibility[:, None] > 0, keypoints, 0)
    coco[:, 2] = visibility

    ys, xs = np.nonzero(figure.regions)
    labelled = keypoints[visibility > 0]  # inside the painted pixels but for rounding; included to be sure
    x0 = max(min(xs.min() + origin[0], int(np.floor(labelled[:, 0].min()))), 0)
    y0 = max(min(ys.min() + origin[1], int(np.floor(labelled[:, 1].min()))), 0)
    x1 = min(max(xs.max() + origin[0] + 1, int(np.ceil(labelled[:, 0].max()))), width)
    y1 = min(max(ys.max() + origin[1] + 1, int(np.ceil(labelled[:, 1].max()))), height)
    return dict(keypoints=coco, bbox=[int(x0), int(y0), int(x1 - x0), int(y1 - y0)], area=float(len(xs)))

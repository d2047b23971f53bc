"""Top-down crops for RTMPose: boxes -> (center, scale) -> affine crops -> network input, and back.

Conventions follow MMPose 1.x (``bbox_xyxy2cs``, ``TopdownAffine`` with ``fix_aspect_ratio`` and
``get_warp_matrix`` without UDP, and ``TopdownPoseEstimator.add_pred_to_datasample`` for the way back), so that
keypoints produced here land on the same image pixels as MMPose's.

Shapes: ``N`` boxes, ``K`` keypoints; sizes are ``(w, h)``; images are ``(H, W, 3)`` BGR ``uint8``.
"""
from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

#: MMPose / MMDeploy RTMPose defaults (``rtmpose-m-sdk-meta/pipeline.json``), channel order RGB.
DEFAULT_INPUT_SIZE = (192, 256)
DEFAULT_MEAN = (123.675, 116.28, 103.53)
DEFAULT_STD = (58.395, 57.12, 57.375)
DEFAULT_PADDING = 1.25


def bbox_xyxy2cs(bboxes: np.ndarray, padding: float = DEFAULT_PADDING) -> tuple[np.ndarray, np.ndarray]:
    """Convert boxes ``(N, 4)`` (or ``(4,)``) ``x1, y1, x2, y2`` to centers ``(N, 2)`` and scales ``(N, 2)``.

    ``center = ((x1 + x2) / 2, (y1 + y2) / 2)``, ``scale = (x2 - x1, y2 - y1) * padding``, in float32 as MMPose
    (its datasets hold boxes in float32), so that the crops are MMPose's to the bit. A single box ``(4,)`` gives
    ``(2,)`` arrays.
    """
    boxes = np.asarray(bboxes, dtype=np.float32)
    single = boxes.ndim == 1
    boxes = boxes.reshape(-1, 4)
    centers = (boxes[:, 2:] + boxes[:, :2]) * np.float32(0.5)
    scales = (boxes[:, 2:] - boxes[:, :2]) * np.float32(padding)
    if single:
        return centers[0], scales[0]
    return centers, scales


def fix_aspect_ratio(scales: np.ndarray, aspect_ratio: float) -> np.ndarray:
    """Enlarge scales ``(N, 2)`` (or ``(2,)``) to the aspect ratio ``w / h`` of the model input.

    The shorter side (relative to ``aspect_ratio``) grows; the other is kept, as MMPose's ``fix_aspect_ratio``
    (float32 in, float32 out).
    """
    scales = np.asarray(scales, dtype=np.float32)
    w, h = scales[..., 0], scales[..., 1]
    ratio = np.float32(aspect_ratio)
    wide = w > h * ratio
    return np.stack((np.where(wide, w, h * ratio), np.where(wide, w / ratio, h)), axis=-1)


def bboxes_to_center_scale(bboxes: np.ndarray, input_size: Sequence[int] = DEFAULT_INPUT_SIZE,
                           padding: float = DEFAULT_PADDING) -> tuple[np.ndarray, np.ndarray]:
    """Boxes ``(N, 4)`` xyxy -> float32 centers ``(N, 2)`` and aspect-fixed, padded scales ``(N, 2)`` for
    ``input_size``.

    This is MMPose's ``GetBBoxCenterScale(padding)`` followed by the scale update of ``TopdownAffine``.
    """
    centers, scales = bbox_xyxy2cs(np.asarray(bboxes, dtype=np.float32).reshape(-1, 4), padding)
    return centers, fix_aspect_ratio(scales, input_size[0] / input_size[1])


def get_warp_matrix(center: Sequence[float], scale: Sequence[float], rot: float,
                    output_size: Sequence[int]) -> np.ndarray:
    """The ``(2, 3)`` float64 affine matrix that maps the box ``(center, scale)`` rotated by ``rot`` degrees onto an
    output image of size ``output_size = (w, h)``.

    Same numbers as MMPose's ``get_warp_matrix(center, scale, rot, output_size)`` (``shift=0``, ``inv=False``,
    ``fix_aspect_ratio=True``): the box center goes to the output center and the box width ``scale[0]`` to the
    output width (the box height is ignored; pass aspect-fixed scales).
    """
    return get_warp_matrices(np.reshape(center, (1, 2)), np.reshape(scale, (1, 2)), output_size, rot)[0]


def get_warp_matrices(centers: np.ndarray, scales: np.ndarray, output_size: Sequence[int],
                      rot: float = 0.0) -> np.ndarray:
    """:func:`get_warp_matrix` for centers/scales ``(N, 2)``: returns ``(N, 2, 3)`` float64.

    Built as MMPose builds it, so that OpenCV's fixed-point sampling rounds the same way: three point pairs (the box
    center, the middle of its left edge and that point turned 90 degrees about the second one) in float32, solved by
    ``cv2.getAffineTransform``. A closed form in float64 differs in the last bits, which moves a few pixels of a crop
    by up to 255 / 32 grey levels.
    """
    centers = np.asarray(centers, dtype=np.float32).reshape(-1, 2)
    scales = np.asarray(scales, dtype=np.float32).reshape(-1, 2)
    out_w, out_h = float(output_size[0]), float(output_size[1])
    rad = np.deg2rad(rot)
    src = np.empty((len(centers), 3, 2), dtype=np.float32)
    src[:, 0] = centers
    # the left-edge direction (-w / 2, 0) turned by rot, added in float64 and stored in float32 as MMPose does
    src[:, 1] = centers + scales[:, :1].astype(np.float64) * -0.5 * np.array([np.cos(rad), np.sin(rad)])
    edge = src[:, 0] - src[:, 1]
    src[:, 2, 0] = src[:, 1, 0] - edge[:, 1]
    src[:, 2, 1] = src[:, 1, 1] + edge[:, 0]
    dst = np.float32([[out_w * 0.5, out_h * 0.5], [0.0, out_h * 0.5], [0.0, out_h * 0.5 + out_w * 0.5]])
    mats = np.empty((len(centers), 2, 3), dtype=np.float64)
    for i, points in enumerate(src):
        mats[i] = cv2.getAffineTransform(points, dst)
    return mats


def warp_points(points: np.ndarray, warp: np.ndarray) -> np.ndarray:
    """Apply an affine ``warp`` ``(2, 3)`` to points ``(..., 2)``; returns float64 ``(..., 2)``."""
    points = np.asarray(points, dtype=np.float64)
    return points @ warp[:, :2].T + warp[:, 2]


def crop_batch(image: np.ndarray, centers: np.ndarray, scales: np.ndarray,
               input_size: Sequence[int] = DEFAULT_INPUT_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """Cut one affine crop per box out of ``image``.

    Args:
        image: ``(H, W, 3)`` ``uint8`` BGR.
        centers: ``(N, 2)`` box centers in image pixels.
        scales: ``(N, 2)`` aspect-fixed box sizes (see :func:`bboxes_to_center_scale`); must be > 0.
        input_size: model input ``(w, h)``.

    Returns:
        ``crops`` ``(N, h, w, 3)`` ``uint8`` (bilinear, zero border as MMPose's ``TopdownAffine``) and the warp
        matrices ``(N, 2, 3)`` float64 mapping image pixels to crop pixels.
    """
    w, h = int(input_size[0]), int(input_size[1])
    warps = get_warp_matrices(centers, scales, (w, h))
    crops = np.empty((len(warps), h, w, 3), dtype=np.uint8)
    for i, warp in enumerate(warps):
        cv2.warpAffine(image, warp, (w, h), dst=crops[i], flags=cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return crops, warps


def normalize_batch(crops: np.ndarray, mean: Sequence[float] = DEFAULT_MEAN, std: Sequence[float] = DEFAULT_STD,
                    to_rgb: bool = True) -> np.ndarray:
    """``(N, h, w, 3)`` BGR ``uint8`` crops -> ``(N, 3, h, w)`` float32 network input.

    ``mean``/``std`` are given in the network's channel order (RGB when ``to_rgb``), as in MMDeploy's
    ``Normalize`` (``to_rgb=True`` swaps BGR to RGB before subtracting).
    """
    planes = crops.transpose(0, 3, 1, 2)  # (N, 3, h, w) view
    if to_rgb:
        planes = planes[:, ::-1]
    out = planes.astype(np.float32, order='C')  # one strided copy into NCHW, then in-place per-channel maths
    out -= np.asarray(mean, dtype=np.float32).reshape(1, 3, 1, 1)
    out *= (1.0 / np.asarray(std, dtype=np.float32)).reshape(1, 3, 1, 1)
    return out


def keypoints_to_image(keypoints: np.ndarray, centers: np.ndarray, scales: np.ndarray,
                       input_size: Sequence[int] = DEFAULT_INPUT_SIZE) -> np.ndarray:
    """Map keypoints ``(N, K, 2)`` from crop-input pixels back to image pixels.

    ``kp_img = kp / input_size * scale + center - 0.5 * scale`` with the aspect-fixed ``scales`` ``(N, 2)`` and
    ``centers`` ``(N, 2)`` of the crops, as MMPose's ``TopdownPoseEstimator``. Returns float32 ``(N, K, 2)``.
    """
    keypoints = np.asarray(keypoints, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64).reshape(-1, 1, 2)
    scales = np.asarray(scales, dtype=np.float64).reshape(-1, 1, 2)
    size = np.asarray(input_size[:2], dtype=np.float64)
    return (keypoints / size * scales + centers - 0.5 * scales).astype(np.float32)


def clip_boxes(bboxes: np.ndarray, image_shape: Sequence[int]) -> np.ndarray:
    """Clip boxes ``(N, 4)`` xyxy to an image of shape ``(H, W, ...)``; returns float32 ``(N, 4)``."""
    boxes = np.asarray(bboxes, dtype=np.float32).reshape(-1, 4).copy()
    height, width = image_shape[0], image_shape[1]
    boxes[:, 0::2] = np.clip(boxes[:, 0::2], 0, width)
    boxes[:, 1::2] = np.clip(boxes[:, 1::2], 0, height)
    return boxes


def valid_boxes(bboxes: np.ndarray, min_size: float = 1.0) -> np.ndarray:
    """Boolean mask ``(N,)`` of finite boxes whose width and height are both at least ``min_size`` (> 0)."""
    boxes = np.asarray(bboxes, dtype=np.float64).reshape(-1, 4)
    sizes = boxes[:, 2:] - boxes[:, :2]
    return np.isfinite(boxes).all(axis=1) & (sizes > 0).all(axis=1) & (sizes >= min_size).all(axis=1)


def keypoints_bbox(keypoints: np.ndarray, scores: np.ndarray, thr: float = 0.3,
                   min_keypoints: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Tight xyxy boxes around the keypoints scoring above ``thr``.

    Args:
        keypoints: ``(N, K, 2)`` image coordinates.
        scores: ``(N, K)`` keypoint scores.
        thr: keypoints with ``score > thr`` count.
        min_keypoints: poses with fewer valid keypoints get no box.

    Returns:
        ``boxes`` ``(N, 4)`` float32 (zeros where invalid) and ``valid`` ``(N,)`` bool.
    """
    keypoints = np.asarray(keypoints, dtype=np.float32).reshape(len(scores), -1, 2)
    mask = np.asarray(scores) > thr
    valid = mask.sum(axis=1) >= max(min_keypoints, 1)
    big = np.float32(np.finfo(np.float32).max)
    lo = np.where(mask[..., None], keypoints, big).min(axis=1)
    hi = np.where(mask[..., None], keypoints, -big).max(axis=1)
    boxes = np.concatenate((lo, hi), axis=1)
    boxes[~valid] = 0.0
    return boxes.astype(np.float32), valid

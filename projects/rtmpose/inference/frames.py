"""Input frames: turn whatever a caller hands in into a contiguous BGR ``uint8`` image ``(H, W, 3)``."""
from __future__ import annotations

import cv2
import numpy as np


def ensure_bgr(frame: np.ndarray | None) -> np.ndarray:
    """Return ``frame`` as a contiguous BGR ``uint8`` array of shape ``(H, W, 3)``.

    Accepted inputs:

    - ``(H, W, 3)`` BGR (returned as is when already ``uint8`` and contiguous),
    - ``(H, W)`` or ``(H, W, 1)`` grayscale (replicated to three channels),
    - ``(H, W, 4)`` BGRA, as OpenCV reads PNGs with alpha (alpha dropped).

    Non-``uint8`` frames are rounded and clipped to ``[0, 255]``; a float frame whose values all lie in
    ``[0, 1]`` is taken to be normalised and scaled by 255 first. A frame with zero height or width is returned
    with shape ``(H, W, 3)`` (callers treat it as "nobody in the picture").

    Raises:
        ValueError: ``frame`` is ``None`` (e.g. ``cv2.VideoCapture.read`` at the end of a video) or has an
            unsupported shape.
        TypeError: ``frame`` is not a numpy array.
    """
    if frame is None:
        raise ValueError('frame is None: the image could not be read (end of the video, or a wrong path given '
                         'to cv2.imread?)')
    if not isinstance(frame, np.ndarray):
        raise TypeError(f'frame must be a numpy array (H, W, 3) BGR, got {type(frame).__name__}')
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim not in (2, 3) or (frame.ndim == 3 and frame.shape[2] not in (3, 4)):
        raise ValueError(f'frame must have shape (H, W), (H, W, 3) or (H, W, 4), got {frame.shape}')
    if frame.dtype != np.uint8:
        frame = _to_uint8(frame)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        return np.zeros((frame.shape[0], frame.shape[1], 3), np.uint8)
    if frame.ndim == 2:
        return cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_GRAY2BGR)
    if frame.shape[2] == 4:
        return cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(frame)


def _to_uint8(frame: np.ndarray) -> np.ndarray:
    """Convert a numeric frame of any dtype to ``uint8`` (floats in ``[0, 1]`` are scaled by 255)."""
    if frame.dtype == np.bool_:
        return frame.astype(np.uint8) * 255
    values = frame.astype(np.float32)
    if np.issubdtype(frame.dtype, np.floating):
        values = np.nan_to_num(values, nan=0.0, posinf=255.0, neginf=0.0)
        if values.size and values.min() >= 0.0 and values.max() <= 1.0:
            values = values * 255.0
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)

"""Keypoint measures next to the speeds: smoothing jitter of the tracks, and the distance between two pose models'
keypoints for the same boxes (INT8 or bfloat16 against float32)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def jitter(results: Sequence[list], smoothed: bool) -> float:
    """Mean |second difference| (px) of the keypoints of the two largest people of frame 0 over the frames where
    both tracks are present; ``results`` holds the :class:`~rtmpose.inference.PersonPose` list of each frame
    (``raw_keypoints`` are used when not ``smoothed``)."""
    areas = {p.track_id: float(np.prod(p.bbox[2:] - p.bbox[:2])) for p in results[0]}
    main = sorted(areas, key=lambda k: -areas[k])[:2]
    values = []
    for tid in main:
        seq = [next((p for p in people if p.track_id == tid), None) for people in results]
        run = [getattr(p, 'keypoints' if smoothed else 'raw_keypoints') for p in seq if p is not None]
        if len(run) >= 3:
            values.append(float(np.abs(np.diff(np.stack(run), n=2, axis=0)).mean()))
    return float(np.mean(values)) if values else float('nan')


def keypoint_error(detector: Callable, reference: Callable, approx: Callable, frames: list[np.ndarray]) -> dict:
    """Image-pixel distance between the keypoints ``(N, K, 2)`` of two pose models (``reference`` and ``approx``:
    e.g. FP32 and INT8) for the same ``detector`` boxes (every 10th frame)."""
    errors = []
    for frame in frames[::10]:
        boxes, _ = detector(frame)
        errors.append(np.linalg.norm(reference(frame, boxes)[0] - approx(frame, boxes)[0], axis=-1).ravel())
    errors = np.concatenate(errors)
    return {'mean_px': float(errors.mean()), 'median_px': float(np.median(errors)), 'max_px': float(errors.max()),
            'keypoints': int(errors.size)}

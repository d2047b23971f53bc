"""Drawing tracked poses on frames: COCO-17 skeleton, one colour per track, track ids and boxes (OpenCV only)."""
from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ..metainfo import COCO17

#: Distinct BGR colours for track ids (cycled).
PALETTE = ((255, 128, 0), (0, 200, 255), (60, 220, 60), (255, 60, 200), (0, 90, 255), (200, 200, 0),
           (150, 60, 255), (0, 255, 170), (255, 200, 140), (100, 160, 255), (180, 255, 80), (255, 90, 90))


def track_color(track_id: int) -> tuple[int, int, int]:
    """BGR colour of a track id."""
    return PALETTE[int(track_id) % len(PALETTE)]


def draw_poses(image: np.ndarray, people: Sequence, kpt_thr: float = 0.3, draw_bbox: bool = True,
               skeleton: Sequence[tuple[int, int]] = COCO17.skeleton, fps: float | None = None) -> np.ndarray:
    """Draw ``people`` (:class:`~rtmpose.inference.PersonPose`) on a copy of the BGR ``image``.

    Keypoints scoring above ``kpt_thr`` get a dot, limbs whose two ends both do get a line, in the track's colour;
    the box and ``id N`` label are drawn when ``draw_bbox``. Line widths scale with the image size. ``fps`` adds a
    frame-rate label in the top-left corner. Non-finite coordinates are skipped.
    """
    canvas = np.ascontiguousarray(image).copy()
    height, width = canvas.shape[:2]
    unit = max(1, int(round(max(height, width) / 400)))
    for person in people:
        color = track_color(person.track_id)
        kpts = np.asarray(person.keypoints, dtype=np.float64)
        scores = np.asarray(person.scores, dtype=np.float64)
        ok = (scores > kpt_thr) & np.isfinite(kpts).all(axis=1) & (np.abs(kpts) < 1e6).all(axis=1)
        points = np.rint(np.where(ok[:, None], kpts, 0)).astype(np.int64)
        for a, b in skeleton:
            if a < len(ok) and b < len(ok) and ok[a] and ok[b]:
                cv2.line(canvas, tuple(map(int, points[a])), tuple(map(int, points[b])), color, unit + 1,
                         cv2.LINE_AA)
        for k in np.flatnonzero(ok):
            cv2.circle(canvas, tuple(map(int, points[k])), unit + 2, color, -1, cv2.LINE_AA)
            cv2.circle(canvas, tuple(map(int, points[k])), unit + 2, (255, 255, 255), 1, cv2.LINE_AA)
        box = np.asarray(person.bbox, dtype=np.float64)
        if draw_bbox and np.isfinite(box).all():
            x1, y1, x2, y2 = np.rint(np.clip(box, -1e6, 1e6)).astype(int)
            cv2.rectangle(canvas, (x1, y1), (x2, y2), color, unit)
            label = f'id {person.track_id}'
            scale = 0.4 * unit
            (tw, th), base = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, unit)
            top = max(y1 - th - base - 2, 0)
            cv2.rectangle(canvas, (x1, top), (x1 + tw + 4, top + th + base + 2), color, -1)
            cv2.putText(canvas, label, (x1 + 2, top + th + 1), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), unit,
                        cv2.LINE_AA)
    if fps is not None:
        cv2.putText(canvas, f'{fps:.1f} FPS', (8, 12 + 12 * unit), cv2.FONT_HERSHEY_SIMPLEX, 0.5 * unit,
                    (0, 0, 0), 3 * unit, cv2.LINE_AA)
        cv2.putText(canvas, f'{fps:.1f} FPS', (8, 12 + 12 * unit), cv2.FONT_HERSHEY_SIMPLEX, 0.5 * unit,
                    (255, 255, 255), unit, cv2.LINE_AA)
    return canvas

"""Drawing tracked poses on frames (OpenCV only): limbs and keypoints in the colours of the dataset's metainfo (as
MMPose's visualizer: left, right, centre, feet, face and hands each their colour), and each person's box and
``id N`` tag in the track's colour. Tags that would cover one another are moved down until they do not."""
from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ..metainfo import COCO17, KeypointSet

#: Distinct BGR colours for track ids (cycled).
PALETTE = ((255, 128, 0), (0, 200, 255), (60, 220, 60), (255, 60, 200), (0, 90, 255), (200, 200, 0),
           (150, 60, 255), (0, 255, 170), (255, 200, 140), (100, 160, 255), (180, 255, 80), (255, 90, 90))


def track_color(track_id: int) -> tuple[int, int, int]:
    """BGR colour of a track id."""
    return PALETTE[int(track_id) % len(PALETTE)]


def draw_poses(image: np.ndarray, people: Sequence, kpt_thr: float = 0.3, draw_bbox: bool = True,
               keypoint_set: KeypointSet = COCO17, fps: float | None = None) -> np.ndarray:
    """Draw ``people`` (:class:`~rtmpose.inference.PersonPose`) on a copy of the BGR ``image``.

    Keypoints scoring above ``kpt_thr`` get a dot and links whose two ends both do get a line, in the colours of
    ``keypoint_set`` (its metainfo's RGB colours, drawn as BGR); the box and an ``id N`` tag are drawn in the track's
    colour when ``draw_bbox``. Line widths scale with the image size. ``fps`` adds a frame-rate label in the top-left
    corner. Non-finite coordinates are skipped.
    """
    canvas = np.ascontiguousarray(image).copy()
    height, width = canvas.shape[:2]
    unit = max(1, int(round(max(height, width) / 400)))
    kpt_colors, link_colors = (colors[:, ::-1].tolist() for colors in keypoint_set.colors())  # RGB -> BGR
    tags: list[tuple[int, int, int, int]] = []
    for person in people:
        _draw_skeleton(canvas, person, kpt_thr, keypoint_set.skeleton, kpt_colors, link_colors, unit)
        box = np.asarray(person.bbox, dtype=np.float64)
        if draw_bbox and np.isfinite(box).all():
            _draw_box_and_tag(canvas, person.track_id, np.rint(np.clip(box, -1e6, 1e6)).astype(int), unit, tags)
    if fps is not None:
        for color, thickness in (((0, 0, 0), 3 * unit), ((255, 255, 255), unit)):
            cv2.putText(canvas, f'{fps:.1f} FPS', (8, 12 + 12 * unit), cv2.FONT_HERSHEY_SIMPLEX, 0.5 * unit, color,
                        thickness, cv2.LINE_AA)
    return canvas


def _draw_skeleton(canvas: np.ndarray, person, kpt_thr: float, skeleton: Sequence[tuple[int, int]],
                   kpt_colors: list, link_colors: list, unit: int) -> None:
    kpts = np.asarray(person.keypoints, dtype=np.float64).reshape(-1, 2)
    scores = np.asarray(person.scores, dtype=np.float64).reshape(-1)
    ok = (scores > kpt_thr) & np.isfinite(kpts).all(axis=1) & (np.abs(kpts) < 1e6).all(axis=1)
    points = [tuple(map(int, p)) for p in np.rint(np.where(ok[:, None], kpts, 0)).astype(np.int64)]
    for link, (a, b) in enumerate(skeleton):
        if a < len(ok) and b < len(ok) and ok[a] and ok[b]:
            cv2.line(canvas, points[a], points[b], link_colors[link % len(link_colors)], unit + 1, cv2.LINE_AA)
    for k in np.flatnonzero(ok):
        cv2.circle(canvas, points[k], unit + 1, kpt_colors[k % len(kpt_colors)], -1, cv2.LINE_AA)


def _draw_box_and_tag(canvas: np.ndarray, track_id: int, box: np.ndarray, unit: int,
                      tags: list[tuple[int, int, int, int]]) -> None:
    """The box and its ``id N`` tag, placed above the box (inside it at the top edge of the image), moved down
    past the tags already drawn (``tags``, xyxy, appended to)."""
    color = track_color(track_id)
    x1, y1, x2, y2 = (int(v) for v in box)
    cv2.rectangle(canvas, (x1, y1), (x2, y2), color, unit)
    label = f'id {track_id}'
    scale = 0.4 * unit
    (tw, th), base = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, unit)
    w, h = tw + 4, th + base + 2
    top = max(y1 - h, 0)
    for _ in range(len(tags) + 1):
        hit = [t for t in tags if x1 < t[2] and t[0] < x1 + w and top < t[3] and t[1] < top + h]
        if not hit:
            break
        top = max(t[3] for t in hit)
    tags.append((x1, top, x1 + w, top + h))
    cv2.rectangle(canvas, (x1, top), (x1 + w, top + h), color, -1)
    cv2.putText(canvas, label, (x1 + 2, top + th + 1), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), unit, cv2.LINE_AA)

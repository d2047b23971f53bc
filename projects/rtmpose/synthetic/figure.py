"""Paint a posed, placed body as a region map: limbs as tapered capsules with rounded ends in the colour of their
clothing, the torso as the outline of a box, the head as an ellipse with hair on its back; farthest parts first.

Nothing marks the joints: a model has to find them from the shape of the body.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import cv2
import numpy as np

from .body import NUM_FACE_KEYPOINTS, Body3D, face_hidden
from .draw import capsule, dot, ellipse_polygon, fill_convex
from .placement import Placement
from .regions import FACE_DETAIL, HAIR, PANTS, SHIRT, SHOES, SKIN, region_code

# a part to paint: (depth towards the camera, painter); parts are painted from the farthest
_Part = tuple[float, Callable[[], None]]


@dataclass(frozen=True)
class Clothing:
    """Which materials cover the limbs, and how the left side is shaded (factor < 1 darkens it)."""

    long_sleeves: bool
    long_trousers: bool
    left_shade: float


@dataclass(frozen=True)
class PaintedFigure:
    """A figure painted into a window of the image.

    Attributes:
        keypoints: ``(17, 2)`` float64 image pixels (may lie outside the image).
        regions: ``(h, w)`` uint8 region codes (0 = not painted) of the window.
        origin: ``(x0, y0)``: image pixel of ``regions[0, 0]``.
    """

    keypoints: np.ndarray
    regions: np.ndarray
    origin: tuple[int, int]


def _paint_head(canvas: np.ndarray, body: Body3D, placement: Placement, origin: np.ndarray) -> None:
    """Hair-coloured head ellipse over the two ears, with the skin of the face on the side the head faces (none
    from behind), and the eyes and the tip of the nose where they face the camera."""
    radius = body.proportions.head_radius * placement.scale
    face = placement.apply(body.keypoints[:NUM_FACE_KEYPOINTS]) - origin
    hidden = face_hidden(body)
    for ear, left in ((3, True), (4, False)):
        dot(canvas, face[ear], 0.3 * radius, region_code(SKIN, left))
    center = placement.apply(body.head_center) - origin
    up = placement.apply(body.head_up) - placement.offset
    forward = (placement.apply(body.head_forward) - placement.offset) / placement.scale
    up_len = float(np.hypot(*up))
    up_dir = up / up_len if up_len > 1e-6 else np.array([0.0, -1.0])
    side_dir = np.array([-up_dir[1], up_dir[0]])
    axis_b = up_dir * radius * (0.95 + 0.23 * up_len / placement.scale)
    head = ellipse_polygon(center, side_dir * radius * 0.95, axis_b)
    fill_convex(canvas, head, region_code(HAIR, False))
    away = max(0.0, -float(body.head_forward[2]))
    shift = radius * (0.9 * forward - (0.35 + 2.2 * away) * up_dir)
    area, skin = cv2.intersectConvexConvex(head, head + shift.astype(np.float32))
    if area > 0 and skin is not None:
        fill_convex(canvas, skin.reshape(-1, 2), region_code(SKIN, False))
    for point, left, size in ((0, False, 0.16), (1, True, 0.14), (2, False, 0.14)):  # nose, eyes
        if not hidden[point]:
            dot(canvas, face[point], size * radius, region_code(FACE_DETAIL, left))


def _trunk_parts(canvas: np.ndarray, body: Body3D, placement: Placement, origin: np.ndarray) -> list[_Part]:
    """Torso, neck and head; limbs level with the trunk go on top of it."""
    prop = body.proportions
    kpts = placement.apply(body.keypoints)
    leg_w = prop.leg_width * placement.scale
    torso_depth = float(body.torso_points[:, 2].mean()) - prop.chest_depth
    torso = placement.apply(body.torso_points)
    torso_outline = cv2.convexHull((torso - origin).astype(np.float32)).reshape(-1, 2)
    neck = (kpts[5] + kpts[6]) / 2 - origin
    head = placement.apply(body.head_center) - origin
    return [
        (torso_depth, partial(fill_convex, canvas, torso_outline, region_code(SHIRT, False))),
        (torso_depth + 1e-3, partial(capsule, canvas, neck, head, 0.5 * leg_w, 0.5 * leg_w, region_code(SKIN, False))),
        (float(body.head_center[2]), partial(_paint_head, canvas, body, placement, origin)),
    ]


def _limb_parts(canvas: np.ndarray, body: Body3D, placement: Placement, clothing: Clothing,
                origin: np.ndarray) -> list[_Part]:
    """Upper arm, forearm, hand, thigh, shin and foot of each side, each at the mean depth of its joints."""
    prop = body.proportions
    kpts = placement.apply(body.keypoints)
    hands, toes = placement.apply(body.hand_tips), placement.apply(body.toes)
    arm_w, leg_w = prop.arm_width * placement.scale, prop.leg_width * placement.scale
    depth = body.keypoints[:, 2]
    forearm = SHIRT if clothing.long_sleeves else SKIN
    shin = PANTS if clothing.long_trousers else SKIN
    parts = []
    for side, left in ((0, True), (1, False)):
        # (first joint, last joint, start, end, start width, end width, material); hands and feet hang off a joint
        sh, el, wr, hp, kn, an = (kpts[j + side] - origin for j in (5, 7, 9, 11, 13, 15))
        hand, toe = hands[side] - origin, toes[side] - origin
        segments = ((5, 7, sh, el, 1.15 * arm_w, arm_w, SHIRT),
                    (7, 9, el, wr, arm_w, 0.8 * arm_w, forearm),
                    (9, 9, wr, hand, 0.8 * arm_w, 0.9 * arm_w, SKIN),
                    (11, 13, hp, kn, 1.3 * leg_w, 0.95 * leg_w, PANTS),
                    (13, 15, kn, an, 0.9 * leg_w, 0.6 * leg_w, shin),
                    (15, 15, an, toe, 0.6 * leg_w, 0.55 * leg_w, SHOES))
        for j1, j2, p1, p2, w1, w2, material in segments:
            parts.append((float(depth[j1 + side] + depth[j2 + side]) / 2,
                          partial(capsule, canvas, p1, p2, w1, w2, region_code(material, left))))
    return parts


def _window(body: Body3D, placement: Placement, image_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """``x0, y0, x1, y1``: the part of the image the figure can paint (its points plus a margin for the widths)."""
    prop = body.proportions
    points = np.concatenate([placement.apply(body.keypoints), placement.apply(body.hand_tips),
                             placement.apply(body.toes), placement.apply(body.torso_points),
                             placement.apply(body.head_center)[None]])
    margin = placement.scale * max(prop.head_radius * 1.3, prop.leg_width) + 2
    x0, y0 = np.maximum(np.floor(points.min(0) - margin), 0).astype(int)
    x1, y1 = np.minimum(np.ceil(points.max(0) + margin), image_size).astype(int)
    return x0, y0, x1, y1


def paint_figure(body: Body3D, placement: Placement, clothing: Clothing,
                 image_size: tuple[int, int]) -> PaintedFigure | None:
    """Paint ``body`` placed into an image of ``image_size = (width, height)``, farthest parts first.

    Returns ``None`` when no part of the figure falls inside the image.
    """
    x0, y0, x1, y1 = _window(body, placement, image_size)
    if x1 <= x0 or y1 <= y0:
        return None
    origin = np.array([x0, y0], dtype=np.float64)
    canvas = np.zeros((y1 - y0, x1 - x0), np.uint8)
    parts = _trunk_parts(canvas, body, placement, origin) + _limb_parts(canvas, body, placement, clothing, origin)
    for _, paint in sorted(parts, key=lambda part: part[0]):
        paint()
    if not canvas.any():
        return None
    return PaintedFigure(keypoints=placement.apply(body.keypoints), regions=canvas, origin=(int(x0), int(y0)))

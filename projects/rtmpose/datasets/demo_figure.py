"""An articulated person for the demo dataset: sample a 3-D pose, project it, paint it as body parts.

Frames and units:

* body frame: x = the person's left, y = up, z = forward; lengths in body units (standing height about 1);
* camera frame: x = image right, y = up, z = towards the camera, orthographic projection;
* image frame: x right, y down, pixels.

The figure is painted as a *region map* (one small integer per material and body side, see :func:`region_code`) so
that a scene can colour and texture it; nothing marks the joints: limbs are tapered capsules with rounded ends in
the colour of their clothing, the torso is the outline of a box, the head an ellipse with hair on its back.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import cv2
import numpy as np

COCO_KEYPOINT_NAMES = ('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
                       'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
                       'right_knee', 'left_ankle', 'right_ankle')
NUM_KEYPOINTS = len(COCO_KEYPOINT_NAMES)
NUM_FACE_KEYPOINTS = 5

# materials; the region code of a material on one body side is 1 + 2 * material + is_left (0 = nothing painted);
# FACE_DETAIL: the dark eyes and the shaded tip of the nose
SKIN, SHIRT, PANTS, SHOES, HAIR, FACE_DETAIL = range(6)
NUM_MATERIALS = 6
NUM_REGION_CODES = 1 + 2 * NUM_MATERIALS

_SUBPIXEL_BITS = 4
_SUBPIXEL = float(1 << _SUBPIXEL_BITS)

# (name, probability) of the pose families sampled by :func:`sample_pose`
_POSE_FAMILIES = (('stand', 0.35), ('walk', 0.3), ('arms_up', 0.25), ('sit', 0.1))


def region_code(material: int, left: bool) -> int:
    """Region-map value of ``material`` (``SKIN`` ... ``HAIR``) on the person's left (``True``) or right/centre."""
    return 1 + 2 * material + int(left)


def _rot_x(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def _rot_y(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _rot_z(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


@dataclass(frozen=True)
class Pose:
    """Joint angles in radians; pairs are ``(left, right)``.

    Hip/shoulder ``flex`` > 0 swings the limb forward, ``abd`` > 0 outward; ``knee`` > 0 folds the shin back,
    ``elbow`` > 0 folds the forearm towards the arm's front, ``arm_twist`` turns that front about the upper arm.
    ``yaw`` turns the whole body about the vertical (0 = facing the camera, pi = back view).
    """

    yaw: float
    tilt: float
    spine_bend: float
    spine_side: float
    spine_twist: float
    head_yaw: float
    head_pitch: float
    head_roll: float
    hip_flex: tuple[float, float]
    hip_abd: tuple[float, float]
    knee: tuple[float, float]
    shoulder_flex: tuple[float, float]
    shoulder_abd: tuple[float, float]
    arm_twist: tuple[float, float]
    elbow: tuple[float, float]


@dataclass(frozen=True)
class Proportions:
    """Segment lengths and limb widths in body units (standing height about 1)."""

    torso: float
    neck: float
    head_radius: float
    shoulder_half_width: float
    hip_half_width: float
    upper_arm: float
    forearm: float
    hand: float
    thigh: float
    shin: float
    foot: float
    arm_width: float
    leg_width: float
    chest_depth: float


@dataclass(frozen=True)
class Body3D:
    """A posed body in the camera frame, body units, pelvis at the origin.

    Attributes:
        keypoints: ``(17, 3)`` COCO keypoints.
        head_center: ``(3,)``; head_up, head_forward: ``(3,)`` unit axes of the head.
        hand_tips: ``(2, 3)`` ends of the (left, right) hands; toes: ``(2, 3)`` ends of the feet.
        torso_points: ``(N, 3)`` corners of the trunk; its painted outline is their projected convex hull.
        proportions: the lengths and widths used.
    """

    keypoints: np.ndarray
    head_center: np.ndarray
    head_up: np.ndarray
    head_forward: np.ndarray
    hand_tips: np.ndarray
    toes: np.ndarray
    torso_points: np.ndarray
    proportions: Proportions


@dataclass(frozen=True)
class Clothing:
    """Which materials cover the limbs, and how the left side is shaded (factor < 1 darkens it)."""

    long_sleeves: bool
    long_trousers: bool
    left_shade: float


@dataclass(frozen=True)
class Placement:
    """Body units -> image pixels: ``xy_image = R(angle) @ (x, -y) * scale + offset``."""

    scale: float
    angle: float
    offset: np.ndarray

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Project ``(..., 3)`` camera-frame points to ``(..., 2)`` image pixels."""
        c, s = np.cos(self.angle), np.sin(self.angle)
        x, y = points[..., 0] * self.scale, -points[..., 1] * self.scale
        return np.stack([c * x - s * y, s * x + c * y], axis=-1) + self.offset


def _angle(rng: np.random.Generator, low: float, high: float) -> float:
    """Uniform angle in radians between ``low`` and ``high`` degrees."""
    return float(np.deg2rad(rng.uniform(low, high)))


def _pair(rng: np.random.Generator, low: float, high: float) -> tuple[float, float]:
    """Two independent :func:`_angle` draws (left, right)."""
    left, right = np.deg2rad(rng.uniform(low, high, 2))
    return float(left), float(right)


def sample_pose(rng: np.random.Generator) -> Pose:
    """Sample a pose from a mixture of families (standing, walking, arms up, sitting), the body turned up to 30
    degrees from the camera (up to 60 for one in ten).

    Demo generator v2 also drew crouching and free-limbed poses, profiles (up to 100 degrees) and back views; an
    RTMPose-t from scratch learned them too slowly for the 15-minute demo (10-epoch AP 0.18 with them, 0.53 without
    them and with figures placed apart, see ``demo_generator``).
    """
    names, probs = zip(*_POSE_FAMILIES)
    family = names[rng.choice(len(names), p=np.asarray(probs))]
    if rng.random() < 0.9:
        yaw = _angle(rng, -30, 30)
    else:
        yaw = _angle(rng, 30, 60) * float(rng.choice([-1, 1]))
    common = dict(yaw=yaw, tilt=_angle(rng, -15, 15), spine_side=_angle(rng, -12, 12),
                  spine_twist=_angle(rng, -20, 20), head_yaw=_angle(rng, -50, 50),
                  head_pitch=_angle(rng, -25, 25), head_roll=_angle(rng, -15, 15),
                  arm_twist=_pair(rng, -30, 90))
    if family == 'stand':
        legs = dict(hip_flex=_pair(rng, -10, 15), hip_abd=_pair(rng, 0, 15), knee=_pair(rng, 0, 15))
        arms = dict(shoulder_flex=_pair(rng, -20, 35), shoulder_abd=_pair(rng, 5, 40), elbow=_pair(rng, 0, 70))
        spine = _angle(rng, -5, 10)
    elif family == 'walk':
        swing = _angle(rng, 15, 40) * float(rng.choice([-1, 1]))
        legs = dict(hip_flex=(swing, -0.7 * swing), hip_abd=_pair(rng, 0, 8), knee=_pair(rng, 5, 55))
        arm_swing = -0.9 * swing
        arms = dict(shoulder_flex=(arm_swing, -0.9 * arm_swing), shoulder_abd=_pair(rng, 5, 20),
                    elbow=_pair(rng, 10, 70))
        spine = _angle(rng, 0, 12)
    elif family == 'arms_up':
        legs = dict(hip_flex=_pair(rng, -10, 20), hip_abd=_pair(rng, 0, 25), knee=_pair(rng, 0, 25))
        sideways = rng.random(2) < 0.5
        raise_ = np.deg2rad(rng.uniform(70, 175, 2))
        arms = dict(shoulder_flex=tuple(float(r * (not s)) for r, s in zip(raise_, sideways)),
                    shoulder_abd=tuple(float(r if s else 0.15) for r, s in zip(raise_, sideways)),
                    elbow=_pair(rng, 0, 110))
        spine = _angle(rng, -10, 10)
    else:  # sit
        legs = dict(hip_flex=_pair(rng, 70, 110), hip_abd=_pair(rng, 0, 25), knee=_pair(rng, 65, 115))
        arms = dict(shoulder_flex=_pair(rng, -10, 60), shoulder_abd=_pair(rng, 5, 30), elbow=_pair(rng, 20, 110))
        spine = _angle(rng, -15, 20)
    return Pose(spine_bend=spine, **common, **legs, **arms)


def sample_proportions(rng: np.random.Generator) -> Proportions:
    """Adult-like proportions with per-person variation of a few percent."""
    j = rng.uniform(0.92, 1.08, 14)
    return Proportions(torso=0.30 * j[0], neck=0.10 * j[1], head_radius=0.066 * j[2],
                       shoulder_half_width=0.105 * j[3], hip_half_width=0.075 * j[4], upper_arm=0.17 * j[5],
                       forearm=0.15 * j[6], hand=0.065 * j[7], thigh=0.245 * j[8], shin=0.245 * j[9],
                       foot=0.08 * j[10], arm_width=0.052 * j[11], leg_width=0.076 * j[12],
                       chest_depth=0.055 * j[13])


def pose_body(pose: Pose, prop: Proportions) -> Body3D:
    """Forward kinematics: joint angles and proportions -> 3-D points in the camera frame (pelvis at the origin)."""
    down = np.array([0.0, -1.0, 0.0])
    r_pelvis = _rot_y(pose.yaw) @ _rot_x(pose.tilt)
    r_torso = r_pelvis @ _rot_x(pose.spine_bend) @ _rot_z(pose.spine_side) @ _rot_y(pose.spine_twist)
    neck = r_torso @ np.array([0.0, prop.torso, 0.0])
    r_head = r_torso @ _rot_y(pose.head_yaw) @ _rot_x(-pose.head_pitch) @ _rot_z(pose.head_roll)
    head_up, head_left, head_forward = r_head[:, 1], r_head[:, 0], r_head[:, 2]
    head = neck + r_head @ np.array([0.0, prop.neck, 0.15 * prop.head_radius])
    rad = prop.head_radius
    face = [head + rad * (0.95 * head_forward - 0.2 * head_up)]
    face += [head + rad * (0.75 * head_forward + 0.25 * head_up + side * 0.38 * head_left) for side in (1, -1)]
    face += [head + rad * (side * 0.95 * head_left - 0.15 * head_forward + 0.05 * head_up) for side in (1, -1)]

    joints: dict[str, list[np.ndarray]] = {name: [] for name in ('shoulder', 'elbow', 'wrist', 'hip', 'knee',
                                                                  'ankle', 'hand', 'toe')}
    for i, side in enumerate((1, -1)):  # left, right
        shoulder = neck + r_torso @ np.array([side * prop.shoulder_half_width, -0.03, 0.0])
        r_arm = (r_torso @ _rot_z(side * pose.shoulder_abd[i]) @ _rot_x(-pose.shoulder_flex[i])
                 @ _rot_y(side * pose.arm_twist[i]))
        elbow = shoulder + prop.upper_arm * (r_arm @ down)
        forearm_dir = r_arm @ _rot_x(-pose.elbow[i]) @ down
        wrist = elbow + prop.forearm * forearm_dir

        hip = r_pelvis @ np.array([side * prop.hip_half_width, -0.02, 0.0])
        r_leg = r_pelvis @ _rot_z(side * pose.hip_abd[i]) @ _rot_x(-pose.hip_flex[i])
        knee = hip + prop.thigh * (r_leg @ down)
        r_shin = r_leg @ _rot_x(pose.knee[i])
        ankle = knee + prop.shin * (r_shin @ down)
        foot_dir = r_shin @ np.array([0.0, -0.3, 1.0]) / np.hypot(0.3, 1.0)
        for name, point in (('shoulder', shoulder), ('elbow', elbow), ('wrist', wrist), ('hip', hip),
                            ('knee', knee), ('ankle', ankle), ('hand', wrist + prop.hand * forearm_dir),
                            ('toe', ankle + prop.foot * foot_dir)):
            joints[name].append(point)
    limbs = [p for name in ('shoulder', 'elbow', 'wrist', 'hip', 'knee', 'ankle') for p in joints[name]]
    keypoints = np.stack(face + limbs)  # COCO order: face, then (left, right) per joint
    d = prop.chest_depth
    torso_points = [neck + r_torso @ np.array([s * (prop.shoulder_half_width + 0.02), -0.035, z * d])
                    for s in (1, -1) for z in (1, -1)]
    torso_points += [neck + r_torso @ np.array([s * 0.6 * prop.shoulder_half_width, 0.01, z * d])
                     for s in (1, -1) for z in (1, -1)]  # rounded shoulders
    torso_points += [r_torso @ np.array([s * (prop.hip_half_width + 0.01), 0.13, z * d])
                     for s in (1, -1) for z in (1, -1)]
    torso_points += [r_pelvis @ np.array([s * (prop.hip_half_width + 0.03), -0.06, z * d])
                     for s in (1, -1) for z in (1, -1)]
    return Body3D(keypoints=keypoints, head_center=head, head_up=head_up, head_forward=head_forward,
                  hand_tips=np.stack(joints['hand']), toes=np.stack(joints['toe']),
                  torso_points=np.stack(torso_points), proportions=prop)



def face_hidden(body: Body3D) -> np.ndarray:
    """``(5,)`` bool: face keypoints on the far side of the head (turned away from the camera)."""
    return body.keypoints[:NUM_FACE_KEYPOINTS, 2] - body.head_center[2] < -0.3 * body.proportions.head_radius


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


def _fixed(points: np.ndarray) -> np.ndarray:
    """``(..., 2)`` float pixels -> int32 fixed point for cv2 drawing with ``shift=_SUBPIXEL_BITS``."""
    return np.round(points * _SUBPIXEL).astype(np.int32)


def _fill_convex(canvas: np.ndarray, polygon: np.ndarray, code: int) -> None:
    cv2.fillConvexPoly(canvas, _fixed(polygon), code, cv2.LINE_8, _SUBPIXEL_BITS)


def _dot(canvas: np.ndarray, centre: np.ndarray, radius: float, code: int) -> None:
    """Paint a filled circle of ``radius`` px at ``centre`` (xy px) with sub-pixel precision."""
    cv2.circle(canvas, (round(centre[0] * _SUBPIXEL), round(centre[1] * _SUBPIXEL)), round(radius * _SUBPIXEL), code,
               -1, cv2.LINE_8, _SUBPIXEL_BITS)


def _capsule(canvas: np.ndarray, p1: np.ndarray, p2: np.ndarray, w1: float, w2: float, code: int) -> None:
    """Paint a tapered limb from ``p1`` (width ``w1``) to ``p2`` (width ``w2``) with rounded ends; pixels."""
    (x1, y1), (x2, y2) = p1, p2
    length = np.hypot(x2 - x1, y2 - y1)
    if length > 1e-3:
        nx, ny = (y1 - y2) / length / 2, (x2 - x1) / length / 2
        quad = [[x1 + nx * w1, y1 + ny * w1], [x2 + nx * w2, y2 + ny * w2], [x2 - nx * w2, y2 - ny * w2],
                [x1 - nx * w1, y1 - ny * w1]]
        _fill_convex(canvas, np.array(quad), code)
    for end, w in ((p1, w1), (p2, w2)):
        _dot(canvas, end, w / 2, code)


def _ellipse_polygon(center: np.ndarray, axis_a: np.ndarray, axis_b: np.ndarray, n: int = 32) -> np.ndarray:
    """``(n, 2)`` float32 outline of the ellipse ``center + cos(t) axis_a + sin(t) axis_b``."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)[:, None]
    return (center + np.cos(t) * axis_a + np.sin(t) * axis_b).astype(np.float32)


def _paint_head(canvas: np.ndarray, body: Body3D, placement: Placement, origin: np.ndarray) -> None:
    """Hair-coloured head ellipse over the two ears, with the skin of the face on the side the head faces (none
    from behind), and the eyes and the tip of the nose where they face the camera."""
    radius = body.proportions.head_radius * placement.scale
    face = placement.apply(body.keypoints[:NUM_FACE_KEYPOINTS]) - origin
    hidden = face_hidden(body)
    for ear, left in ((3, True), (4, False)):
        _dot(canvas, face[ear], 0.3 * radius, region_code(SKIN, left))
    center = placement.apply(body.head_center) - origin
    up = placement.apply(body.head_up) - placement.offset
    forward = (placement.apply(body.head_forward) - placement.offset) / placement.scale
    up_len = float(np.hypot(*up))
    up_dir = up / up_len if up_len > 1e-6 else np.array([0.0, -1.0])
    side_dir = np.array([-up_dir[1], up_dir[0]])
    axis_b = up_dir * radius * (0.95 + 0.23 * up_len / placement.scale)
    head = _ellipse_polygon(center, side_dir * radius * 0.95, axis_b)
    _fill_convex(canvas, head, region_code(HAIR, False))
    away = max(0.0, -float(body.head_forward[2]))
    shift = radius * (0.9 * forward - (0.35 + 2.2 * away) * up_dir)
    area, skin = cv2.intersectConvexConvex(head, head + shift.astype(np.float32))
    if area > 0 and skin is not None:
        _fill_convex(canvas, skin.reshape(-1, 2), region_code(SKIN, False))
    for point, left, size in ((0, False, 0.16), (1, True, 0.14), (2, False, 0.14)):  # nose, eyes
        if not hidden[point]:
            _dot(canvas, face[point], size * radius, region_code(FACE_DETAIL, left))


def paint_figure(body: Body3D, placement: Placement, clothing: Clothing,
                 image_size: tuple[int, int]) -> PaintedFigure | None:
    """Paint ``body`` placed into an image of ``image_size = (width, height)``, farthest parts first.

    Returns ``None`` when no part of the figure falls inside the image.
    """
    prop = body.proportions
    kpts = placement.apply(body.keypoints)
    hands, toes = placement.apply(body.hand_tips), placement.apply(body.toes)
    torso = placement.apply(body.torso_points)
    head = placement.apply(body.head_center)
    margin = placement.scale * max(prop.head_radius * 1.3, prop.leg_width) + 2
    points = np.concatenate([kpts, hands, toes, torso, head[None]])
    x0, y0 = np.maximum(np.floor(points.min(0) - margin), 0).astype(int)
    x1, y1 = np.minimum(np.ceil(points.max(0) + margin), image_size).astype(int)
    if x1 <= x0 or y1 <= y0:
        return None
    origin = np.array([x0, y0], dtype=np.float64)
    canvas = np.zeros((y1 - y0, x1 - x0), np.uint8)

    arm_w, leg_w = prop.arm_width * placement.scale, prop.leg_width * placement.scale
    depth = body.keypoints[:, 2]
    torso_depth = float(body.torso_points[:, 2].mean()) - prop.chest_depth  # limbs level with the trunk go on top
    torso_outline = cv2.convexHull((torso - origin).astype(np.float32)).reshape(-1, 2)
    neck = (kpts[5] + kpts[6]) / 2 - origin
    parts: list[tuple[float, Callable[[], None]]] = [
        (torso_depth, partial(_fill_convex, canvas, torso_outline, region_code(SHIRT, False))),
        (torso_depth + 1e-3, partial(_capsule, canvas, neck, head - origin, 0.5 * leg_w, 0.5 * leg_w,
                                     region_code(SKIN, False))),
        (float(body.head_center[2]), partial(_paint_head, canvas, body, placement, origin)),
    ]
    forearm = SHIRT if clothing.long_sleeves else SKIN
    shin = PANTS if clothing.long_trousers else SKIN
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
                          partial(_capsule, canvas, p1, p2, w1, w2, region_code(material, left))))
    for _, paint in sorted(parts, key=lambda part: part[0]):
        paint()
    if not canvas.any():
        return None
    return PaintedFigure(keypoints=kpts, regions=canvas, origin=(int(x0), int(y0)))

"""Forward kinematics: a :class:`~.pose.Pose` and :class:`~.pose.Proportions` -> 3-D points of a posed body.

Frames and units:

* body frame: x = the person's left, y = up, z = forward; lengths in body units (standing height about 1);
* camera frame: x = image right, y = up, z = towards the camera (orthographic projection, see
  :class:`~.placement.Placement`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pose import Pose, Proportions

NUM_FACE_KEYPOINTS = 5  # COCO-17 starts with nose, eyes and ears
_DOWN = np.array([0.0, -1.0, 0.0])


@dataclass(frozen=True)
class Body3D:
    """A posed body in the camera frame, body units, pelvis at the origin.

    Attributes:
        keypoints: ``(17, 3)`` COCO-17 keypoints.
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


def _rot_x(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def _rot_y(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _rot_z(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _head(pose: Pose, prop: Proportions, r_torso: np.ndarray, neck: np.ndarray) -> tuple[np.ndarray, ...]:
    """Head centre ``(3,)``, its up and forward axes ``(3,)`` and the ``(5, 3)`` face keypoints (nose, eyes, ears)."""
    r_head = r_torso @ _rot_y(pose.head_yaw) @ _rot_x(-pose.head_pitch) @ _rot_z(pose.head_roll)
    head_up, head_left, head_forward = r_head[:, 1], r_head[:, 0], r_head[:, 2]
    head = neck + r_head @ np.array([0.0, prop.neck, 0.15 * prop.head_radius])
    rad = prop.head_radius
    face = [head + rad * (0.95 * head_forward - 0.2 * head_up)]
    face += [head + rad * (0.75 * head_forward + 0.25 * head_up + side * 0.38 * head_left) for side in (1, -1)]
    face += [head + rad * (side * 0.95 * head_left - 0.15 * head_forward + 0.05 * head_up) for side in (1, -1)]
    return head, head_up, head_forward, np.stack(face)


def _limbs(pose: Pose, prop: Proportions, r_pelvis: np.ndarray, r_torso: np.ndarray,
           neck: np.ndarray) -> dict[str, np.ndarray]:
    """``(2, 3)`` (left, right) points per joint: shoulder ... ankle, and the hand and toe ends."""
    joints: dict[str, list[np.ndarray]] = {name: [] for name in ('shoulder', 'elbow', 'wrist', 'hip', 'knee',
                                                                  'ankle', 'hand', 'toe')}
    for i, side in enumerate((1, -1)):  # left, right
        shoulder = neck + r_torso @ np.array([side * prop.shoulder_half_width, -0.03, 0.0])
        r_arm = (r_torso @ _rot_z(side * pose.shoulder_abd[i]) @ _rot_x(-pose.shoulder_flex[i])
                 @ _rot_y(side * pose.arm_twist[i]))
        elbow = shoulder + prop.upper_arm * (r_arm @ _DOWN)
        forearm_dir = r_arm @ _rot_x(-pose.elbow[i]) @ _DOWN
        wrist = elbow + prop.forearm * forearm_dir

        hip = r_pelvis @ np.array([side * prop.hip_half_width, -0.02, 0.0])
        r_leg = r_pelvis @ _rot_z(side * pose.hip_abd[i]) @ _rot_x(-pose.hip_flex[i])
        knee = hip + prop.thigh * (r_leg @ _DOWN)
        r_shin = r_leg @ _rot_x(pose.knee[i])
        ankle = knee + prop.shin * (r_shin @ _DOWN)
        foot_dir = r_shin @ np.array([0.0, -0.3, 1.0]) / np.hypot(0.3, 1.0)
        for name, point in (('shoulder', shoulder), ('elbow', elbow), ('wrist', wrist), ('hip', hip),
                            ('knee', knee), ('ankle', ankle), ('hand', wrist + prop.hand * forearm_dir),
                            ('toe', ankle + prop.foot * foot_dir)):
            joints[name].append(point)
    return {name: np.stack(points) for name, points in joints.items()}


def _torso_points(prop: Proportions, r_pelvis: np.ndarray, r_torso: np.ndarray, neck: np.ndarray) -> np.ndarray:
    """``(16, 3)`` corners of the trunk: shoulders, rounded shoulder tops, waist and hips, front and back."""
    d = prop.chest_depth
    points = [neck + r_torso @ np.array([s * (prop.shoulder_half_width + 0.02), -0.035, z * d])
              for s in (1, -1) for z in (1, -1)]
    points += [neck + r_torso @ np.array([s * 0.6 * prop.shoulder_half_width, 0.01, z * d])
               for s in (1, -1) for z in (1, -1)]  # rounded shoulders
    points += [r_torso @ np.array([s * (prop.hip_half_width + 0.01), 0.13, z * d]) for s in (1, -1) for z in (1, -1)]
    points += [r_pelvis @ np.array([s * (prop.hip_half_width + 0.03), -0.06, z * d])
               for s in (1, -1) for z in (1, -1)]
    return np.stack(points)


def pose_body(pose: Pose, prop: Proportions) -> Body3D:
    """Forward kinematics: joint angles and proportions -> 3-D points in the camera frame (pelvis at the origin)."""
    r_pelvis = _rot_y(pose.yaw) @ _rot_x(pose.tilt)
    r_torso = r_pelvis @ _rot_x(pose.spine_bend) @ _rot_z(pose.spine_side) @ _rot_y(pose.spine_twist)
    neck = r_torso @ np.array([0.0, prop.torso, 0.0])
    head, head_up, head_forward, face = _head(pose, prop, r_torso, neck)
    joints = _limbs(pose, prop, r_pelvis, r_torso, neck)
    limbs = [joints[name] for name in ('shoulder', 'elbow', 'wrist', 'hip', 'knee', 'ankle')]
    keypoints = np.concatenate([face, *limbs])  # COCO-17 order: face, then (left, right) per joint
    torso = _torso_points(prop, r_pelvis, r_torso, neck)
    return Body3D(keypoints=keypoints, head_center=head, head_up=head_up, head_forward=head_forward,
                  hand_tips=joints['hand'], toes=joints['toe'], torso_points=torso, proportions=prop)


def face_hidden(body: Body3D) -> np.ndarray:
    """``(5,)`` bool: face keypoints on the far side of the head (turned away from the camera)."""
    return body.keypoints[:NUM_FACE_KEYPOINTS, 2] - body.head_center[2] < -0.3 * body.proportions.head_radius

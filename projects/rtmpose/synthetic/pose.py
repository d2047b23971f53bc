"""Joint angles and body proportions of a synthetic person, and their random draws."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (name, probability) of the pose families sampled by :func:`sample_pose`
_POSE_FAMILIES = (('stand', 0.35), ('walk', 0.3), ('arms_up', 0.25), ('sit', 0.1))


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


def _angle(rng: np.random.Generator, low: float, high: float) -> float:
    """Uniform angle in radians between ``low`` and ``high`` degrees."""
    return float(np.deg2rad(rng.uniform(low, high)))


def _pair(rng: np.random.Generator, low: float, high: float) -> tuple[float, float]:
    """Two independent :func:`_angle` draws (left, right)."""
    left, right = np.deg2rad(rng.uniform(low, high, 2))
    return float(left), float(right)


def _stand(rng: np.random.Generator) -> dict:
    legs = dict(hip_flex=_pair(rng, -10, 15), hip_abd=_pair(rng, 0, 15), knee=_pair(rng, 0, 15))
    arms = dict(shoulder_flex=_pair(rng, -20, 35), shoulder_abd=_pair(rng, 5, 40), elbow=_pair(rng, 0, 70))
    return dict(**legs, **arms, spine_bend=_angle(rng, -5, 10))


def _walk(rng: np.random.Generator) -> dict:
    swing = _angle(rng, 15, 40) * float(rng.choice([-1, 1]))
    legs = dict(hip_flex=(swing, -0.7 * swing), hip_abd=_pair(rng, 0, 8), knee=_pair(rng, 5, 55))
    arm_swing = -0.9 * swing
    arms = dict(shoulder_flex=(arm_swing, -0.9 * arm_swing), shoulder_abd=_pair(rng, 5, 20), elbow=_pair(rng, 10, 70))
    return dict(**legs, **arms, spine_bend=_angle(rng, 0, 12))


def _arms_up(rng: np.random.Generator) -> dict:
    legs = dict(hip_flex=_pair(rng, -10, 20), hip_abd=_pair(rng, 0, 25), knee=_pair(rng, 0, 25))
    sideways = rng.random(2) < 0.5
    raise_ = np.deg2rad(rng.uniform(70, 175, 2))
    arms = dict(shoulder_flex=tuple(float(r * (not s)) for r, s in zip(raise_, sideways)),
                shoulder_abd=tuple(float(r if s else 0.15) for r, s in zip(raise_, sideways)),
                elbow=_pair(rng, 0, 110))
    return dict(**legs, **arms, spine_bend=_angle(rng, -10, 10))


def _sit(rng: np.random.Generator) -> dict:
    legs = dict(hip_flex=_pair(rng, 70, 110), hip_abd=_pair(rng, 0, 25), knee=_pair(rng, 65, 115))
    arms = dict(shoulder_flex=_pair(rng, -10, 60), shoulder_abd=_pair(rng, 5, 30), elbow=_pair(rng, 20, 110))
    return dict(**legs, **arms, spine_bend=_angle(rng, -15, 20))


_FAMILY_ANGLES = dict(stand=_stand, walk=_walk, arms_up=_arms_up, sit=_sit)


def sample_pose(rng: np.random.Generator) -> Pose:
    """Sample a pose from a mixture of families (standing, walking, arms up, sitting), the body turned up to 30
    degrees from the camera (up to 60 for one in ten).

    No crouching or free-limbed poses, profiles or back views: an RTMPose-t trained from scratch learns them too
    slowly for the demo's training budget (benchmarks/results/demo_dataset.md).
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
    return Pose(**common, **_FAMILY_ANGLES[family](rng))


def sample_proportions(rng: np.random.Generator) -> Proportions:
    """Adult-like proportions with per-person variation of a few percent."""
    j = rng.uniform(0.92, 1.08, 14)
    return Proportions(torso=0.30 * j[0], neck=0.10 * j[1], head_radius=0.066 * j[2],
                       shoulder_half_width=0.105 * j[3], hip_half_width=0.075 * j[4], upper_arm=0.17 * j[5],
                       forearm=0.15 * j[6], hand=0.065 * j[7], thigh=0.245 * j[8], shin=0.245 * j[9],
                       foot=0.08 * j[10], arm_width=0.052 * j[11], leg_width=0.076 * j[12],
                       chest_depth=0.055 * j[13])

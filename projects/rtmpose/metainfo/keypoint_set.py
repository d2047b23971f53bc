"""The keypoints a model predicts (:class:`KeypointSet`), checked when made, and COCO-17 built in (numpy only)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, eq=False)
class KeypointSet:
    """The keypoints a model predicts: what MMPose's ``parse_pose_metainfo`` makes of a dataset metainfo.

    Attributes:
        name: dataset name (``'coco'``).
        keypoint_names: ``K`` names in output order.
        skeleton: links as 0-based ``(i, j)`` keypoint index pairs.
        sigmas: ``(K,)`` OKS sigmas; ``(0,)`` when the dataset defines none (MMPose leaves them empty for most
            face and some hand sets).
        flip_pairs: 0-based ``(i, j)`` index pairs, ``i < j``, swapped by a horizontal flip.
        keypoint_colors: ``(K, 3)`` uint8 RGB colour of each keypoint (MMPose's visualizer colours).
        link_colors: ``(L, 3)`` uint8 RGB colour of each link of ``skeleton``.
        joint_weights: ``(K,)`` loss weight of each keypoint (``None``: all 1); not checked, as MMPose uses them
            only with ``use_dataset_keypoint_weights`` (its own ``coco_aic`` has 18 for 19 keypoints).
        upper_body_ids, lower_body_ids: keypoints of ``type='upper'`` / ``'lower'`` (MMPose's half-body transform).
        stats_info: MMPose's ``stats_info`` (3D sets: ``bbox_center``, ``bbox_scale`` as float32 arrays), if any.
        source: the file the set was read from (named in error messages), ``None`` when built in.

    Raises:
        ValueError: names that repeat, a link or flip pair outside ``0..K-1``, a keypoint in two flip pairs, or
            sigmas or colours of another length than the keypoints / links; the message names the source and the
            fix.
    """

    name: str
    keypoint_names: tuple[str, ...]
    skeleton: tuple[tuple[int, int], ...]
    sigmas: np.ndarray
    flip_pairs: tuple[tuple[int, int], ...]
    keypoint_colors: np.ndarray | None = None
    link_colors: np.ndarray | None = None
    joint_weights: np.ndarray | None = None
    upper_body_ids: tuple[int, ...] = ()
    lower_body_ids: tuple[int, ...] = ()
    stats_info: dict[str, np.ndarray] | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        problem = names_problem(self.keypoint_names) or _index_problem(self) or _length_problem(self)
        if problem:
            raise ValueError(f'{self.where}: {problem}')

    @property
    def num_keypoints(self) -> int:
        return len(self.keypoint_names)

    @property
    def has_sigmas(self) -> bool:
        return len(self.sigmas) == self.num_keypoints

    @property
    def where(self) -> str:
        """The file the set was read from, else its name (for messages)."""
        return self.source or f'keypoint set {self.name!r}'

    @property
    def flip_indices(self) -> list[int]:
        """Index ``i`` holds the keypoint that ``i`` becomes when the image is flipped (MMPose's ``flip_indices``)."""
        indices = list(range(self.num_keypoints))
        for i, j in self.flip_pairs:
            indices[i], indices[j] = j, i
        return indices

    def require_sigmas(self, needed_by: str) -> np.ndarray:
        """The ``(K,)`` sigmas, or a ``ValueError`` naming ``needed_by`` (what computes OKS) and the fix."""
        if not self.has_sigmas:
            raise ValueError(f'{self.where} has no OKS sigmas, which {needed_by} needs: add sigmas=[...] (one per '
                             f'keypoint, {self.num_keypoints} values, e.g. 0.025 for points a person places '
                             f'precisely, up to 0.1 for vague ones) to its dataset_info')
        return self.sigmas

    def coco_skeleton(self) -> list[list[int]]:
        """The skeleton 1-based, as COCO annotation files write it in ``categories[].skeleton``."""
        return [[i + 1, j + 1] for i, j in self.skeleton]

    def colors(self) -> tuple[np.ndarray, np.ndarray]:
        """``(keypoint_colors (K, 3), link_colors (L, 3))`` RGB uint8; a set without colours gets MMPose's
        visualizer defaults (green keypoints, blue links)."""
        kpt, link = self.keypoint_colors, self.link_colors
        kpt = np.tile([0, 255, 0], (self.num_keypoints, 1)) if kpt is None else kpt
        link = np.tile([0, 0, 255], (len(self.skeleton), 1)) if link is None else link
        return np.asarray(kpt, np.uint8).reshape(-1, 3), np.asarray(link, np.uint8).reshape(-1, 3)

    def dataset_meta(self) -> dict[str, Any]:
        """The set as MMPose's ``parse_pose_metainfo`` returns it: the ``dataset_meta`` of MMPose's metrics."""
        flips, (kpt_colors, link_colors) = self.flip_indices, self.colors()
        weights = np.ones(self.num_keypoints) if self.joint_weights is None else self.joint_weights
        stats = {} if self.stats_info is None else {'stats_info': dict(self.stats_info)}
        return dict(**stats,
            dataset_name=self.name, num_keypoints=self.num_keypoints,
            keypoint_id2name=dict(enumerate(self.keypoint_names)),
            keypoint_name2id={name: i for i, name in enumerate(self.keypoint_names)},
            upper_body_ids=list(self.upper_body_ids), lower_body_ids=list(self.lower_body_ids),
            flip_indices=flips, flip_pairs=[(flips[i], i) for i in range(self.num_keypoints) if flips[i] != i],
            keypoint_colors=kpt_colors, num_skeleton_links=len(self.skeleton),
            skeleton_links=[tuple(link) for link in self.skeleton],
            skeleton_link_colors=link_colors if len(link_colors) else np.zeros(0, np.uint8),  # MMPose's, for no links
            dataset_keypoint_weights=np.asarray(weights, np.float32), sigmas=np.asarray(self.sigmas, np.float32))


def names_problem(names: tuple[str, ...]) -> str | None:
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            return (f'the keypoint name {name!r} repeats (keypoints {seen[name]} and {i}): give every keypoint its '
                    f'own name')
        seen[name] = i
    return None if names else 'no keypoints: keypoint_info must name at least one'


def _index_problem(kset: KeypointSet) -> str | None:
    num = kset.num_keypoints
    for n, link in enumerate(kset.skeleton):
        if len(link) != 2 or not all(0 <= int(i) < num for i in link):
            return (f'skeleton link {n} {tuple(link)} is not two keypoint indices in 0..{num - 1}: links join two '
                    f'of the {num} keypoints')
    partner: dict[int, int] = {}
    for i, j in kset.flip_pairs:
        if not (0 <= i < num and 0 <= j < num) or i == j:
            return f'flip pair {(i, j)} is not two different keypoint indices in 0..{num - 1}'
        for a, b in ((i, j), (j, i)):
            if partner.setdefault(a, b) != b:
                return (f'keypoint {kset.keypoint_names[a]!r} is flipped onto both '
                        f'{kset.keypoint_names[partner[a]]!r} and {kset.keypoint_names[b]!r}: give it one partner')
    bad = [i for i in (*kset.upper_body_ids, *kset.lower_body_ids) if not 0 <= i < num]
    return f'body-half keypoint ids {bad} are outside 0..{num - 1}' if bad else None


def _length_problem(kset: KeypointSet) -> str | None:
    num, links = kset.num_keypoints, len(kset.skeleton)
    if len(kset.sigmas) not in (0, num):
        return (f'{len(kset.sigmas)} sigmas for {num} keypoints: give one OKS sigma per keypoint, in keypoint order '
                f'(or sigmas=[] for a set without OKS: no COCO AP, and the tracker suppresses duplicates by box IoU)')
    for what, colors, count in (('keypoint', kset.keypoint_colors, num), ('link', kset.link_colors, links)):
        if colors is not None and np.shape(colors) != (count, 3):
            return f'{what} colours of shape {np.shape(colors)}, not ({count}, 3): one RGB colour per {what}'
    return None


_G, _O, _B = (0, 255, 0), (255, 128, 0), (51, 153, 255)  # MMPose's COCO colours: left, right, centre (RGB)
#: COCO-17, built in (the light install has no MMPose files); equal to MMPose's ``configs/_base_/datasets/coco.py``.
COCO17 = KeypointSet(
    name='coco',
    keypoint_names=('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
                    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
                    'right_knee', 'left_ankle', 'right_ankle'),
    skeleton=((15, 13), (13, 11), (16, 14), (14, 12), (11, 12), (5, 11), (6, 12), (5, 6), (5, 7), (6, 8), (7, 9),
              (8, 10), (1, 2), (0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6)),
    sigmas=np.array([.026, .025, .025, .035, .035, .079, .079, .072, .072, .062, .062, .107, .107, .087, .087, .089,
                     .089]),
    flip_pairs=((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16)),
    keypoint_colors=np.array([_B] * 5 + [_G, _O] * 6, np.uint8),
    link_colors=np.array([_G, _G, _O, _O, _B, _B, _B, _B, _G, _O, _G, _O] + [_B] * 7, np.uint8),
    joint_weights=np.array([1.] * 7 + [1.2, 1.2, 1.5, 1.5] + [1.] * 2 + [1.2, 1.2, 1.5, 1.5], np.float32),
    upper_body_ids=tuple(range(11)), lower_body_ids=tuple(range(11, 17)),
)

"""An MMPose ``dataset_info`` dict as a :class:`~.keypoint_set.KeypointSet`, read as MMPose's ``parse_pose_metainfo``
reads it (ids, flip pairs from ``swap``, links by name, MMPose's default colours), with what MMPose passes silently or
as a raw ``KeyError`` (a misspelled or one-sided ``swap``, a link to an unknown name) made a clear error."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .keypoint_set import KeypointSet, names_problem

#: The keys MMPose's ``parse_pose_metainfo`` asserts.
REQUIRED_KEYS = ('dataset_name', 'keypoint_info', 'skeleton_info', 'joint_weights', 'sigmas')
#: MMPose's colours for keypoints / links whose metainfo gives none (RGB).
DEFAULT_KEYPOINT_COLOR, DEFAULT_LINK_COLOR = (255, 128, 0), (96, 96, 255)


def keypoint_set_from_info(info: Mapping[str, Any], source: str | None = None) -> KeypointSet:
    """The :class:`KeypointSet` of MMPose's ``dataset_info`` ``info`` (read from the file ``source``, if any).

    Raises:
        ValueError: keys missing, ids not ``0..K-1`` in order, a ``swap`` or link naming an unknown keypoint, a
            one-sided ``swap``, or what :class:`KeypointSet` refuses; the message names ``source`` and the fix.
    """
    where = source or f'dataset metainfo {info.get("dataset_name")!r}'
    missing = [key for key in REQUIRED_KEYS if key not in info]
    if missing:
        raise ValueError(f'{where} lacks {missing}: MMPose\'s dataset_info has {", ".join(REQUIRED_KEYS)} (see '
                         f'configs/_base_/datasets/*.py); sigmas=[] for a set without OKS sigmas')
    ids = list(info['keypoint_info'])
    if ids != list(range(len(ids))):
        raise ValueError(f'{where}: keypoint_info is keyed {ids[:6]}{"..." if len(ids) > 6 else ""}; key it 0, 1, '
                         f'2... in the order the model predicts the keypoints')
    kpts = list(info['keypoint_info'].values())
    names = tuple(str(kpt['name']) for kpt in kpts)
    if names_problem(names):
        raise ValueError(f'{where}: {names_problem(names)}')
    index = {name: i for i, name in enumerate(names)}
    links = list(info['skeleton_info'].values())
    return KeypointSet(
        name=str(info['dataset_name']), keypoint_names=names, skeleton=_skeleton(links, index, where),
        sigmas=np.asarray(info['sigmas'] or [], np.float64).reshape(-1), flip_pairs=_flip_pairs(kpts, index, where),
        keypoint_colors=np.asarray([kpt.get('color', DEFAULT_KEYPOINT_COLOR) for kpt in kpts], np.uint8),
        link_colors=np.asarray([link.get('color', DEFAULT_LINK_COLOR) for link in links], np.uint8).reshape(-1, 3),
        joint_weights=np.asarray(info['joint_weights'], np.float32).reshape(-1),
        upper_body_ids=tuple(i for i, kpt in enumerate(kpts) if kpt.get('type') == 'upper'),
        lower_body_ids=tuple(i for i, kpt in enumerate(kpts) if kpt.get('type') == 'lower'),
        stats_info=_stats_info(info.get('stats_info')), source=source)


def _stats_info(stats: Mapping[str, Any] | None) -> dict[str, np.ndarray] | None:
    return None if stats is None else {name: np.asarray(value, np.float32) for name, value in stats.items()}


def _skeleton(links: list[Mapping[str, Any]], index: dict[str, int], where: str) -> tuple[tuple[int, int], ...]:
    skeleton = []
    for n, link in enumerate(links):
        unknown = [name for name in link['link'] if name not in index]
        if unknown:
            raise ValueError(f'{where}: skeleton_info link {n} {tuple(link["link"])} names {unknown[0]!r}, which is '
                             f'not a keypoint name: use names of keypoint_info ({_names(index)})')
        skeleton.append(tuple(index[name] for name in link['link']))
    return tuple(skeleton)


def _flip_pairs(kpts: list[Mapping[str, Any]], index: dict[str, int], where: str) -> tuple[tuple[int, int], ...]:
    """``(i, j)`` pairs from each keypoint's ``swap`` name (``''`` or its own name: flips onto itself)."""
    names = list(index)  # unique: checked before
    pairs = set()
    for i, kpt in enumerate(kpts):
        swap = kpt.get('swap') or names[i]
        if swap == names[i]:
            continue
        if swap not in index:
            raise ValueError(f'{where}: keypoint {names[i]!r} has swap={swap!r}, which is not a keypoint name: fix '
                             f'the spelling ({_names(index)})')
        back = kpts[index[swap]].get('swap', '')
        if (back or swap) != names[i]:
            raise ValueError(f'{where}: keypoint {names[i]!r} swaps with {swap!r}, but {swap!r} has swap={back!r}: '
                             f'give both keypoints of a left/right pair each other\'s name as swap')
        pairs.add((min(i, index[swap]), max(i, index[swap])))
    return tuple(sorted(pairs))


def _names(index: dict[str, int]) -> str:
    names = list(index)
    return ', '.join(names[:8]) + (', ...' if len(names) > 8 else '')


def keypoint_set_from_dataset_meta(meta: Mapping[str, Any], source: str) -> KeypointSet:
    """The :class:`KeypointSet` of MMPose's parsed metainfo (a dataset's ``metainfo``, a metric's ``dataset_meta``,
    as ``parse_pose_metainfo`` returns it), checked: ``source`` says where it came from in messages.

    Raises:
        ValueError: names that repeat, a one-sided flip (a ``swap`` given on one side only), or what
            :class:`KeypointSet` refuses (e.g. sigmas of another length than the keypoints).
    """
    num = int(meta['num_keypoints'])
    names = tuple(str(meta['keypoint_id2name'][i]) for i in range(num))
    flips = [int(i) for i in meta['flip_indices']]
    problem = names_problem(names) or (None if len(flips) == num else f'{len(flips)} flip indices for {num} keypoints')
    one_sided = [i for i in range(num) if problem is None and flips[flips[i]] != i]
    if one_sided:
        i = one_sided[0]
        problem = (f'keypoint {names[i]!r} flips onto {names[flips[i]]!r}, which flips onto {names[flips[flips[i]]]!r}:'
                   f' give both keypoints of a left/right pair each other\'s name as swap')
    if problem:
        raise ValueError(f'{source}: {problem}')
    return KeypointSet(
        name=str(meta['dataset_name']), keypoint_names=names,
        skeleton=tuple(tuple(int(i) for i in link) for link in meta['skeleton_links']),
        sigmas=np.asarray(meta['sigmas'], np.float64).reshape(-1),
        flip_pairs=tuple((i, j) for i, j in enumerate(flips) if i < j),
        keypoint_colors=np.asarray(meta['keypoint_colors'], np.uint8),
        link_colors=np.asarray(meta['skeleton_link_colors'], np.uint8).reshape(-1, 3),
        joint_weights=np.asarray(meta['dataset_keypoint_weights'], np.float32).reshape(-1),
        upper_body_ids=tuple(meta['upper_body_ids']), lower_body_ids=tuple(meta['lower_body_ids']),
        stats_info=_stats_info(meta.get('stats_info')), source=source)

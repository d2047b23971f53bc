"""The keypoint set of a COCO keypoint category as an MMPose metainfo file: names and skeleton from the file, flip
partners from the names (or ``--flip-pairs``), colours by side, joint weights 1 and OKS sigmas (a default or given),
checked by the one keypoint-set resolver (:mod:`rtmpose.metainfo`) before it is written."""
from __future__ import annotations

import pprint
from pathlib import Path
from typing import Any

import numpy as np

from ..metainfo import COCO17, keypoint_set_from_info
from .flip_pairs import infer_flip_pairs, parse_flip_pairs, side_of

#: The OKS sigma of a keypoint nobody measured: the median of COCO-17's (0.025 for eyes .. 0.107 for hips), so that
#: AP is neither as strict as for eyes nor as loose as for hips; give measured ones with ``--sigmas``.
DEFAULT_SIGMA = round(float(np.median(COCO17.sigmas)), 3)
#: MMPose's COCO colours (RGB), taken from COCO-17: a left keypoint (left_shoulder), a right one, the nose.
SIDE_COLORS = {'left': COCO17.keypoint_colors[5].tolist(), 'right': COCO17.keypoint_colors[6].tolist(),
               None: COCO17.keypoint_colors[0].tolist()}


def parse_sigmas(text: str | None, num: int) -> tuple[list[float], str]:
    """``(sigmas, how they were chosen)``: ``num`` values from ``'0.05,0.07,...'`` or a file of numbers (JSON list
    or whitespace/comma separated), else ``DEFAULT_SIGMA`` each.

    Raises:
        ValueError: not numbers, or another count than ``num``.
    """
    if text is None:
        return [DEFAULT_SIGMA] * num, f'{DEFAULT_SIGMA} each (COCO-17\'s median; give measured ones with --sigmas)'
    source = Path(text).read_text(encoding='utf-8') if Path(text).is_file() else text
    words = source.replace('[', ' ').replace(']', ' ').replace(',', ' ').split()
    try:
        sigmas = [float(word) for word in words]
    except ValueError as err:
        raise ValueError(f'--sigmas {text!r}: {err}: give numbers separated by commas, or a file of them') from err
    if len(sigmas) != num or not all(s > 0 for s in sigmas):
        raise ValueError(f'--sigmas {text!r} gives {len(sigmas)} values for {num} keypoints: give one positive OKS '
                         f'sigma per keypoint, in the order of categories[].keypoints')
    return sigmas, f'given by --sigmas {text}'


def flip_partners(names: tuple[str, ...], given: str | None) -> tuple[dict[int, int], list[str]]:
    """``({i: j} both ways, notes)``: partners inferred from the names, replaced by ``given`` (``--flip-pairs``)
    for the keypoints it names; notes say how each pair was chosen and which keypoints flip onto themselves."""
    inferred = infer_flip_pairs(names)
    override = parse_flip_pairs(given, names) if given else {}
    partner = {i: j for i, j in inferred.items() if i not in override and j not in override}
    partner.update({i: j for i, j in override.items() if i != j})
    notes = [f'{names[i]} <-> {names[j]} ({"--flip-pairs" if i in override else "inferred from the names"})'
             for i, j in sorted(partner.items()) if i < j]
    alone = [name for i, name in enumerate(names) if i not in partner]
    notes += [f'flip onto themselves (no partner): {", ".join(alone)}'] if alone else []
    return partner, notes


def keypoint_info(dataset_name: str, names: tuple[str, ...], skeleton: list[list[int]], partner: dict[int, int],
                  sigmas: list[float]) -> dict[str, Any]:
    """MMPose's ``dataset_info`` for the keypoints ``names`` with COCO's 1-based ``skeleton``."""
    sides = [side_of(name) if i in partner else None for i, name in enumerate(names)]
    kpts = {i: dict(name=name, id=i, color=SIDE_COLORS[sides[i]], type='',
                    swap=names[partner[i]] if i in partner else '') for i, name in enumerate(names)}
    links = {}
    for n, (a, b) in enumerate(skeleton):
        ends = {sides[a - 1], sides[b - 1]} - {None}  # a link takes the side of its sided keypoints
        side = ends.pop() if len(ends) == 1 else None
        links[n] = dict(link=(names[a - 1], names[b - 1]), id=n, color=SIDE_COLORS[side])
    return dict(dataset_name=dataset_name, keypoint_info=kpts, skeleton_info=links,
                joint_weights=[1.] * len(names), sigmas=sigmas)


def metainfo_text(info: dict[str, Any], notes: list[str], source: str) -> str:
    """The metainfo file: ``notes`` (every inferred choice) as comments, then ``dataset_info``, after checking it
    with :func:`rtmpose.metainfo.keypoint_set_from_info` (a ``ValueError`` naming ``source`` if it fails)."""
    keypoint_set_from_info(info, source=source)
    head = ['# Keypoint set written by tools/make_config.py (an MMPose metainfo file: edit freely) from',
            f'# {source}'] + [f'# {note}' for note in notes]
    return '\n'.join(head) + '\ndataset_info = ' + pprint.pformat(info, width=116, sort_dicts=False) + '\n'

"""A COCO keypoint annotation file as annotation tools export it (CVAT, Label Studio, Roboflow), read, checked and
made into what MMPose's ``CocoDataset`` and ``CocoMetric`` read: one category, ``num_keypoints`` counted, boxes where
missing, optionally split into train and val by image."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class KeypointFile:
    """One category's keypoint annotations of a COCO file.

    Attributes:
        path: the file read (named in messages).
        category: the category's ``categories[]`` entry (``keypoints`` names, ``skeleton`` 1-based links).
        images: ``images[]`` (all of them: images without annotations are kept, MMPose skips them).
        annotations: the category's ``annotations[]``, each with ``num_keypoints`` counted and a ``bbox``.
        derived_boxes: how many boxes were missing and derived from the labelled keypoints.
        recounted: how many ``num_keypoints`` were missing or wrong and counted again.
    """

    path: Path
    category: dict[str, Any]
    images: list[dict[str, Any]]
    annotations: list[dict[str, Any]]
    derived_boxes: int = 0
    recounted: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(str(name) for name in self.category['keypoints'])

    def coco(self) -> dict[str, Any]:
        """The file as a COCO dict of this category alone."""
        return dict(images=self.images, annotations=self.annotations, categories=[self.category])

    def stats(self) -> dict[str, int]:
        """Counts of images, instances (crowd ones apart) and keypoints labelled (v > 0) and visible (v = 2)."""
        people = [ann for ann in self.annotations if not ann.get('iscrowd', 0)]
        vis = np.asarray([ann['keypoints'][2::3] for ann in people], np.float64).reshape(-1, len(self.names))
        return dict(images=len(self.images), images_annotated=len({ann['image_id'] for ann in people}),
                    instances=len(people), crowd=len(self.annotations) - len(people),
                    keypoints=len(self.names), labelled=int((vis > 0).sum()), visible=int((vis == 2).sum()))

    def split(self, fraction: float, seed: int = 0) -> tuple[KeypointFile, KeypointFile]:
        """``(train, val)``: ``fraction`` of the annotated images (at least one) drawn with ``seed`` into val."""
        annotated = sorted({ann['image_id'] for ann in self.annotations})
        if len(annotated) < 2:
            raise ValueError(f'{self.path}: --val-split needs at least 2 annotated images, found {len(annotated)}: '
                             f'give a val file with --val-ann')
        val_ids = set(random.Random(seed).sample(annotated, max(1, round(fraction * len(annotated)))))
        parts = []
        for in_val in (False, True):
            images = [img for img in self.images if (img['id'] in val_ids) == in_val]
            anns = [ann for ann in self.annotations if (ann['image_id'] in val_ids) == in_val]
            parts.append(KeypointFile(self.path, self.category, images, anns))
        return parts[0], parts[1]


def read_keypoint_file(path: str | Path, category: str | None = None) -> KeypointFile:
    """The keypoint category ``category`` (or the only one) of the COCO file ``path``, checked.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not COCO JSON, no category with keypoints, several and none chosen, keypoint arrays of another
            length than 3 x the category's keypoints, or skeleton links outside the keypoints; each names the file
            and the fix.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f'annotation file {path} not found: give the COCO keypoint JSON your tool exported')
    try:
        coco = json.loads(path.read_text(encoding='utf-8'))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f'{path} is not JSON ({err}): give the COCO keypoint JSON your tool exported') from err
    cat = _pick_category(path, coco.get('categories') or [], category)
    _check_skeleton(path, cat)
    anns = [dict(ann) for ann in coco.get('annotations') or [] if ann.get('category_id') == cat['id']]
    kfile = KeypointFile(path, cat, list(coco.get('images') or []), anns)
    for ann in anns:
        _fix_annotation(kfile, ann)
    if not any(ann['num_keypoints'] for ann in anns):
        raise ValueError(f'{path}: no annotation of category {cat["name"]!r} has a labelled keypoint (all '
                         f'visibility flags 0): export the keypoints with the annotations')
    return kfile


def _pick_category(path: Path, categories: list[dict[str, Any]], name: str | None) -> dict[str, Any]:
    with_kpts = [cat for cat in categories if cat.get('keypoints')]
    if not with_kpts:
        raise ValueError(f'{path} has no category with keypoints (categories[].keypoints): export as "COCO '
                         f'Keypoints", not plain COCO detection')
    listed = ', '.join(repr(cat.get('name')) for cat in with_kpts)
    if name is not None:
        chosen = [cat for cat in with_kpts if cat.get('name') == name]
        if not chosen:
            raise ValueError(f'{path} has no keypoint category {name!r}: choose one of {listed}')
        return dict(chosen[0])
    if len(with_kpts) > 1:
        raise ValueError(f'{path} has {len(with_kpts)} categories with keypoints ({listed}): choose one with '
                         f'--category NAME')
    return dict(with_kpts[0])


def _check_skeleton(path: Path, cat: dict[str, Any]) -> None:
    num = len(cat['keypoints'])
    for n, link in enumerate(cat.get('skeleton') or []):
        if len(link) != 2 or not all(isinstance(i, int) and 1 <= i <= num for i in link):
            raise ValueError(f'{path}: category {cat.get("name")!r} skeleton link {n} {link} is not two keypoint '
                             f'numbers in 1..{num} (COCO links are 1-based): fix or remove that link')


def _fix_annotation(kfile: KeypointFile, ann: dict[str, Any]) -> None:
    """Count ``num_keypoints`` and derive a missing ``bbox`` from the labelled keypoints (in place)."""
    num = len(kfile.names)
    kpts = np.asarray(ann.get('keypoints') or [], np.float64)
    if kpts.size != 3 * num:
        raise ValueError(f'{kfile.path}: annotation {ann.get("id")} has {kpts.size} keypoint values, not '
                         f'3 x {num} (x, y, visibility for each keypoint of {kfile.category["name"]!r}): re-export '
                         f'it, or choose its category with --category')
    kpts = kpts.reshape(num, 3)
    labelled = int((kpts[:, 2] > 0).sum())
    if ann.get('num_keypoints') != labelled:
        ann['num_keypoints'] = labelled
        kfile.recounted += 1
    box = ann.get('bbox')
    if (not box or len(box) != 4) and labelled:
        xy = kpts[kpts[:, 2] > 0, :2]
        (x0, y0), (x1, y1) = xy.min(0), xy.max(0)
        ann['bbox'] = [float(x0), float(y0), float(x1 - x0), float(y1 - y0)]
        kfile.derived_boxes += 1
    ann.setdefault('iscrowd', 0)
    ann.setdefault('area', float(np.prod(ann['bbox'][2:])) if ann.get('bbox') else 0.)

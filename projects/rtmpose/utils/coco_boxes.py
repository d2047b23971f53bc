"""COCO-format files -> person boxes: the one reader of annotation and detection files for the tools, benchmarks and
test support (numpy and json only).

A box is read from a ground-truth annotation (``annotations`` of a COCO keypoint file) or from a detection result
(COCO results format: a list of ``{image_id, bbox, score}``, whose image ids refer to an annotation file's
``images``). Boxes come back flat in file order (:func:`read_person_boxes`) or grouped per image in the order of the
file's ``images`` (:func:`group_by_image`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .json_file import read_json


@dataclass(frozen=True)
class PersonBox:
    """One person box of a COCO-format file.

    Attributes:
        image: the image file (``img_dir / file_name``).
        image_index: position of the image in the annotation file's ``images`` list.
        bbox: ``(4,)`` float64 ``x, y, w, h`` in image pixels, the file's values.
        record: the annotation or detection result as read (``id``, ``image_id``, ``keypoints``, ``score``...).
    """

    image: Path
    image_index: int
    bbox: np.ndarray
    record: dict[str, Any]


def read_person_boxes(ann_file: str | Path, img_dir: str | Path | None = None, det_file: str | Path | None = None,
                      min_score: float = 0.0, min_size: float = 0.0, skip_crowd: bool = False) -> list[PersonBox]:
    """Person boxes of a COCO-format file, in file order.

    Args:
        ann_file: COCO annotation file (with ``images``; its ``annotations`` are the boxes unless ``det_file``).
        img_dir: folder the ``file_name`` s are relative to (default: the folder of ``ann_file``).
        det_file: a detection results file whose boxes are read instead of the annotations.
        min_score: with ``det_file``, keep results with ``score >= min_score``.
        min_size: keep boxes whose width and height are both ``> min_size``.
        skip_crowd: drop annotations with ``iscrowd`` set.

    Records without four box values or whose ``image_id`` is not among the ``images`` are skipped.

    Raises:
        FileNotFoundError: a file is missing.
        ValueError: a file is not valid JSON, or not of the expected COCO format.
    """
    ann_file = Path(ann_file)
    coco = read_json(ann_file, 'annotation file')
    if not isinstance(coco, dict) or not isinstance(coco.get('images'), list):
        raise ValueError(f'{ann_file} has no "images" list: pass a COCO-format annotation file')
    img_dir = ann_file.parent if img_dir is None else Path(img_dir)
    images = {img['id']: (index, img_dir / img['file_name']) for index, img in enumerate(coco['images'])}
    if det_file is None:
        records = coco.get('annotations', [])
    else:
        records = read_json(det_file, 'detection file')
        if not isinstance(records, list):
            raise ValueError(f'{det_file} is not a COCO results file (a list of {{"image_id", "bbox", "score"}})')
        records = [r for r in records if r.get('score', 0.0) >= min_score]
    boxes = []
    for record in records:
        bbox = record.get('bbox', [])
        if record.get('image_id') not in images or len(bbox) != 4 or min(bbox[2:]) <= min_size:
            continue
        if skip_crowd and record.get('iscrowd', 0):
            continue
        index, image = images[record['image_id']]
        boxes.append(PersonBox(image, index, np.asarray(bbox, dtype=np.float64), record))
    return boxes


def group_by_image(boxes: Sequence[PersonBox]) -> list[tuple[Path, list[PersonBox]]]:
    """``(image, its boxes)`` for every image with boxes, in the order of the file's ``images`` (boxes of an image in
    file order)."""
    groups: dict[int, tuple[Path, list[PersonBox]]] = {}
    for box in boxes:
        groups.setdefault(box.image_index, (box.image, []))[1].append(box)
    return [groups[index] for index in sorted(groups)]


def xywh_boxes(boxes: Sequence[PersonBox]) -> np.ndarray:
    """``(N, 4)`` float32 ``x, y, w, h`` of ``boxes``."""
    return np.array([box.bbox for box in boxes], dtype=np.float32).reshape(-1, 4)


def xyxy_boxes(boxes: Sequence[PersonBox]) -> np.ndarray:
    """``(N, 4)`` float32 ``x1, y1, x2, y2`` of ``boxes``."""
    xyxy = xywh_boxes(boxes)
    xyxy[:, 2:] += xyxy[:, :2]
    return xyxy


def missing_images(boxes: Sequence[PersonBox]) -> list[str]:
    """The image files of ``boxes`` that do not exist, sorted, each once."""
    return sorted({str(box.image) for box in boxes if not box.image.is_file()})

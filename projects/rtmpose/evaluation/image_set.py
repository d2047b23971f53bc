"""A COCO-format keypoint image set as the pipeline sees it: its images (in video order when it is a sequence) and
the person boxes MMPose's top-down test runs the pose model on: the ground truth (no ``bbox_file``) or the boxes of a
detection results file (``bbox_file``), both read with :mod:`rtmpose.utils.coco_boxes` (numpy and json).

Sequences follow the PoseTrack18 layout that MMPose reads: each image has ``vid_id`` and ``frame_id`` (and
``is_labeled``, ``False`` for frames without annotations). Without ``vid_id`` every image is its own sequence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..utils.coco_boxes import read_person_boxes, xyxy_boxes
from ..utils.json_file import read_json


@dataclass(frozen=True)
class SetImage:
    """One image of the set.

    Attributes:
        image_id: COCO ``id``.
        path: the image file.
        width, height: the declared size.
        video: the sequence it belongs to (``vid_id``; the image id for an image without one).
        frame: position in its video (``frame_id``; 0 without one).
        labeled: ``False`` for a sequence frame without annotations (``is_labeled: false``), which is run but not
            scored.
    """

    image_id: int
    path: Path
    width: int
    height: int
    video: Any
    frame: int
    labeled: bool = True


@dataclass
class ImageBoxes:
    """The person boxes of one image that a top-down test runs the pose model on.

    Attributes:
        boxes: ``(N, 4)`` float32 ``x1, y1, x2, y2``.
        scores: ``(N,)`` float32 box scores (1 for ground truth).
        ids: ``N`` instance ids, unique in the set (annotation ids, or detection numbers).
    """

    boxes: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), np.float32))
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    ids: list[int] = field(default_factory=list)

    def add(self, box: np.ndarray, score: float, instance_id: int) -> None:
        """Append one box ``(4,)`` xyxy."""
        self.boxes = np.concatenate([self.boxes, np.asarray(box, np.float32).reshape(1, 4)])
        self.scores = np.append(self.scores, np.float32(score))
        self.ids.append(int(instance_id))


class ImageSet:
    """The images and annotations of a COCO-format keypoint file.

    Args:
        ann_file: the annotation file (``images``, ``annotations``).
        img_dir: the folder the ``file_name`` s are relative to (default: the annotation file's folder).

    Raises:
        FileNotFoundError: ``ann_file`` does not exist.
        ValueError: it is not valid JSON or has no ``images`` list.
    """

    def __init__(self, ann_file: str | Path, img_dir: str | Path | None = None) -> None:
        self.ann_file = Path(ann_file)
        self.coco = read_json(self.ann_file, 'annotation file')
        if not isinstance(self.coco, dict) or not isinstance(self.coco.get('images'), list):
            raise ValueError(f'{self.ann_file} has no "images" list: pass a COCO-format keypoint annotation file')
        self.img_dir = self.ann_file.parent if img_dir is None else Path(img_dir)
        self.images = [self._image(info) for info in self.coco['images']]

    def _image(self, info: dict[str, Any]) -> SetImage:
        return SetImage(int(info['id']), self.img_dir / info['file_name'], int(info.get('width', 0)),
                        int(info.get('height', 0)), info.get('vid_id', info['id']), int(info.get('frame_id', 0)),
                        bool(info.get('is_labeled', True)))

    def sequences(self) -> list[list[SetImage]]:
        """The images grouped by video (videos in order of first appearance), each sorted by frame."""
        videos: dict[Any, list[SetImage]] = {}
        for image in self.images:
            videos.setdefault(image.video, []).append(image)
        return [sorted(frames, key=lambda image: image.frame) for frames in videos.values()]

    def missing_images(self) -> list[str]:
        """The image files that do not exist, sorted."""
        return sorted(str(image.path) for image in self.images if not image.path.is_file())

    def ground_truth_boxes(self) -> dict[int, ImageBoxes]:
        """Per image id, the annotations MMPose's top-down test runs on: not crowd, ``num_keypoints > 0`` (counted
        from the keypoints when the field is absent), some keypoint coordinate above 0, and a box with positive
        width and height after clipping to ``[0, width - 1] x [0, height - 1]`` (score 1)."""
        found = {image.image_id: ImageBoxes() for image in self.images}
        for person in read_person_boxes(self.ann_file, self.img_dir, skip_crowd=True):
            record, image = person.record, self.images[person.image_index]
            if 'keypoints' not in record:
                continue
            keypoints = np.asarray(record['keypoints'], dtype=np.float32).reshape(-1, 3)[:, :2]
            labelled = record.get('num_keypoints', np.count_nonzero(keypoints.max(axis=1)))
            if labelled == 0 or keypoints.max(initial=0) <= 0:
                continue
            x, y, w, h = person.bbox
            limit = [image.width - 1, image.height - 1] * 2
            box = np.clip([x, y, x + w, y + h], 0, limit).astype(np.float32)
            if box[2] - box[0] > 0 and box[3] - box[1] > 0:
                found[image.image_id].add(box, 1.0, record['id'])
        return found

    def detection_boxes(self, det_file: str | Path) -> dict[int, ImageBoxes]:
        """Per image id, the boxes of a detection results file (``bbox_file``: ``[{image_id, category_id, bbox,
        score}]``, person category 1), numbered in file order as MMPose numbers them; ``x2 = x + w`` in float32
        as MMPose computes it, so both crop the same pixels."""
        found = {image.image_id: ImageBoxes() for image in self.images}
        people = [p for p in read_person_boxes(self.ann_file, self.img_dir, det_file=det_file)
                  if p.record.get('category_id', 1) == 1]
        for number, (person, box) in enumerate(zip(people, xyxy_boxes(people))):
            found[self.images[person.image_index].image_id].add(box, person.record.get('score', 1.0), number)
        return found

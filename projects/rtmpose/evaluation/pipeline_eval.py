"""Run the top-down pipeline over a COCO-format image set, as MMPose's top-down test does, for the pipeline AP of the
RTMPose paper: the detector's boxes in COCO's detection results format (a ``bbox_file`` that ``mim test`` reads),
and one :class:`PosePrediction` per box for MMPose's metric (:mod:`rtmpose.evaluation.pipeline_metric`).

Two ways through the set:

- :func:`detect_image_set` + :func:`estimate_poses`: every image on its own, the pose model on the given boxes
  (ground truth, a detection file, or the detector's boxes read back from the file it wrote), exactly the crops of
  ``mim test`` with that ``bbox_file``.
- :func:`track_image_set`: each video of a sequence set through a :class:`~rtmpose.inference.PoseTracker`, so that
  ``det_interval`` > 1 (boxes from the previous poses between detector frames) can be scored.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..inference.preprocess import bboxes_to_center_scale
from ..media.sources import read_image
from ..utils.atomic_write import atomic_write
from .image_set import ImageBoxes, ImageSet, SetImage

#: ``progress(done, total)`` after each image.
Progress = Callable[[int, int], None]


@dataclass
class PosePrediction:
    """One pose, in the terms of MMPose's top-down test.

    Attributes:
        instance_id: unique id (the annotation id for ground-truth boxes, the detection's number otherwise).
        image_id: COCO image id.
        keypoints: ``(K, 2)`` image pixels.
        scores: ``(K,)`` keypoint scores.
        bbox_score: the box's score (1 for ground truth).
        bbox_scale: ``(2,)`` the crop's size in image pixels (the padded, aspect-fixed box: MMPose's
            ``bbox_scales``), whose product is the area the metric's OKS NMS uses.
    """

    instance_id: int
    image_id: int
    keypoints: np.ndarray
    scores: np.ndarray
    bbox_score: float
    bbox_scale: np.ndarray


def detection_record(image_id: int, box: np.ndarray, score: float) -> dict[str, Any]:
    """A COCO detection result ``{image_id, category_id: 1, bbox: [x, y, w, h], score}`` for an xyxy ``box``."""
    x1, y1, x2, y2 = (float(v) for v in np.asarray(box, np.float32))
    return {'image_id': int(image_id), 'category_id': 1, 'bbox': [x1, y1, x2 - x1, y2 - y1], 'score': float(score)}


def write_bbox_file(records: list[dict[str, Any]], path: str | Path) -> Path:
    """Write detection records as a JSON list (MMPose's ``bbox_file``), atomically; returns ``path``."""
    path = Path(path)
    with atomic_write(path, 'w') as f:
        json.dump(records, f)
    return path


def detect_image_set(detector: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], image_set: ImageSet,
                     progress: Progress | None = None) -> list[dict[str, Any]]:
    """The detector's person boxes on every image, as COCO detection records in image order."""
    records = []
    for done, image in enumerate(image_set.images, 1):
        boxes, scores = detector(read_image(image.path))
        records += [detection_record(image.image_id, box, score) for box, score in zip(boxes, scores)]
        if progress is not None:
            progress(done, len(image_set.images))
    return records


def estimate_poses(pose_model: Any, image_set: ImageSet, boxes: dict[int, ImageBoxes],
                   progress: Progress | None = None) -> list[PosePrediction]:
    """One pose per box (all boxes of an image in one batch) with a :class:`~rtmpose.inference.TopDownPoseModel`;
    images without boxes are not read."""
    predictions = []
    for done, image in enumerate(image_set.images, 1):
        found = boxes.get(image.image_id)
        if found is not None and len(found.boxes):
            batch = pose_model.preprocess(read_image(image.path), found.boxes)
            keypoints, scores = pose_model.postprocess(pose_model.infer(batch.inputs), batch)
            predictions += [PosePrediction(found.ids[i], image.image_id, keypoints[i], scores[i],
                                           float(found.scores[i]), batch.scales[i]) for i in range(len(keypoints))]
        if progress is not None:
            progress(done, len(image_set.images))
    return predictions


class _RecordingDetector:
    """The tracker's detector, keeping the boxes of each call as detection records of the current image."""

    def __init__(self, detector: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]) -> None:
        self.detector = detector
        self.image_id = 0
        self.records: list[dict[str, Any]] = []

    def __call__(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        boxes, scores = self.detector(image)
        self.records += [detection_record(self.image_id, box, score) for box, score in zip(boxes, scores)]
        return boxes, scores


def track_image_set(tracker: Any, image_set: ImageSet,
                    progress: Progress | None = None) -> tuple[list[PosePrediction], list[dict[str, Any]]]:
    """Each video of ``image_set`` through ``tracker`` (a :class:`~rtmpose.inference.PoseTracker`, restarted per
    video), frames in order.

    Poses of frames with ``is_labeled: false`` are not returned. The tracker has no box score for a box made from
    the previous pose, so every pose gets ``bbox_score`` 1 (the metric then ranks poses by their keypoint scores
    alone, the same rule whatever ``det_interval``).

    Returns:
        The poses, and the detector's boxes on the frames it ran on (COCO detection records).
    """
    recorder = _RecordingDetector(tracker.det_model)
    tracker.det_model = recorder
    predictions: list[PosePrediction] = []
    done, total = 0, len(image_set.images)
    try:
        for video in image_set.sequences():
            tracker.new_sequence()
            for image in video:
                predictions += _track_frame(tracker, recorder, image, len(predictions))
                done += 1
                if progress is not None:
                    progress(done, total)
    finally:
        tracker.det_model = recorder.detector
    return predictions, recorder.records


def _track_frame(tracker: Any, recorder: _RecordingDetector, image: SetImage, first_id: int) -> list[PosePrediction]:
    recorder.image_id = image.image_id
    people = tracker(read_image(image.path))
    if not image.labeled or not people:
        return []
    pose_model = tracker.pose_model
    _, scales = bboxes_to_center_scale(np.stack([p.bbox for p in people]), pose_model.input_size,
                                       pose_model.padding)
    return [PosePrediction(first_id + i, image.image_id, p.keypoints, p.scores, 1.0, scales[i])
            for i, p in enumerate(people)]

"""Real-time multi-person pose tracking (RTMPose paper, section 3.5): detector every ``det_interval`` frames,
boxes from the previous frame's poses in between, OKS pose NMS, IoU track matching and One-Euro smoothing.

No OpenMMLab import: the detector and the pose model are any objects with the interfaces of
:class:`~rtmpose.inference.detector.Detector` and :class:`~rtmpose.inference.pose_model.TopDownPoseModel`.
Any keypoint set works: its OKS sigmas come from the pose model's metadata (``pose_model.keypoint_set``, see
:func:`~rtmpose.hub.build_pose_model` and its ``metainfo``); a model of an unknown ``K`` without metadata is an
error, never a guess. Settings come in a :class:`TrackerConfig`; stages are timed by a
:class:`~rtmpose.inference.stage_timer.StageTimer` (:attr:`PoseTracker.timer`).

>>> tracker = rtmpose.hub.build_tracker('rtmpose-m-wholebody')  # downloads, caches, picks the default detector
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..metainfo import KeypointSet, resolve_keypoint_set
from .box_nms import nms_indices
from .frames import ensure_bgr
from .one_euro import OneEuroFilter
from .pose_nms import oks_nms
from .preprocess import clip_boxes, keypoints_bbox, valid_boxes
from .stage_timer import StageTimer

#: the stages of a frame, in order, timed by :attr:`PoseTracker.timer` (which adds ``'total'``)
STAGES = ('detect', 'crop', 'pose', 'decode', 'nms', 'track', 'smooth')


@dataclass(frozen=True)
class TrackerConfig:
    """The settings of a :class:`PoseTracker`.

    Attributes:
        det_interval: run the detector on every ``det_interval``-th frame (frame 0, ``det_interval``, ...); in
            between, each person's box is the box of their previous pose's keypoints (score > ``kpt_thr``), padded
            by the pose model's crop padding. People entering the picture appear at the next detection frame.
        smooth: One-Euro filter the keypoints of each track.
        nms_thr: poses whose OKS with a higher-scoring pose exceeds it are dropped (duplicates).
        kpt_thr: keypoint score threshold for the boxes built from poses.
        min_keypoints: a pose needs this many keypoints above ``kpt_thr`` to be followed without the detector.
        match_iou_thr: minimum IoU between a new pose's box and a track's last box to continue that track.
        max_age: a track not seen for more than this many frames is forgotten (its id is never reused).
        min_bbox_size: boxes narrower or lower than this (pixels, after clipping to the frame) are skipped.
        max_persons: keep at most this many boxes per frame (highest scores), ``None`` = all.
        fps: frame rate that advances the smoothing clock when no time stamp is passed.
        min_cutoff, beta, d_cutoff: One-Euro parameters (Hz, 1/px, Hz), see :class:`OneEuroFilter`.
        sigmas: ``(K,)`` OKS sigmas overriding the keypoint set's.

    Raises:
        ValueError: ``det_interval < 1`` or One-Euro parameters :class:`OneEuroFilter` rejects.
    """

    det_interval: int = 1
    smooth: bool = True
    nms_thr: float = 0.5
    kpt_thr: float = 0.3
    min_keypoints: int = 3
    match_iou_thr: float = 0.3
    max_age: int = 10
    min_bbox_size: float = 4.0
    max_persons: int | None = None
    fps: float = 30.0
    min_cutoff: float = 1.0
    beta: float = 0.05
    d_cutoff: float = 1.0
    sigmas: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if int(self.det_interval) < 1:
            raise ValueError(f'det_interval must be >= 1, got {self.det_interval}')
        object.__setattr__(self, 'det_interval', int(self.det_interval))
        if self.sigmas is not None:  # any sequence or array, kept hashable
            object.__setattr__(self, 'sigmas', tuple(float(s) for s in self.sigmas))
        self.new_filter()  # validate the One-Euro parameters now

    def new_filter(self) -> OneEuroFilter:
        """A One-Euro filter with these parameters, for one new track."""
        return OneEuroFilter(self.min_cutoff, self.beta, self.d_cutoff, self.fps)


@dataclass
class PersonPose:
    """One tracked person in one frame.

    Attributes:
        track_id: stable id of the person across frames (ids start at 0 and are never reused).
        keypoints: ``(K, 2)`` float32 image pixels (One-Euro smoothed when the tracker smooths).
        scores: ``(K,)`` float32 keypoint scores.
        bbox: ``(4,)`` float32 xyxy box the pose was estimated in (a detection, or the previous pose's box).
        score: pose score, the mean keypoint score.
        raw_keypoints: ``(K, 2)`` float32 keypoints before smoothing.
    """
    track_id: int
    keypoints: np.ndarray
    scores: np.ndarray
    bbox: np.ndarray
    score: float
    raw_keypoints: np.ndarray


@dataclass
class _Track:
    track_id: int
    box: np.ndarray | None  # keypoint box of the last pose (None: too few keypoints to propagate)
    match_box: np.ndarray  # box used to match detections
    last_seen: int
    smoother: OneEuroFilter | None
    score: float = 0.0  # pose score of the last frame


def _settings_error(config: Any, settings: dict[str, Any]) -> TypeError:
    """The error for settings given to :class:`PoseTracker` other than as one :class:`TrackerConfig`."""
    keypoint_set = settings.pop('keypoint_set', None)
    given = ', '.join(f'{key}={value!r}' for key, value in settings.items())
    message = (f'PoseTracker takes its settings in a TrackerConfig: PoseTracker(det_model, pose_model, '
               f'TrackerConfig({given or "det_interval=5"}))')
    if not isinstance(config, TrackerConfig):
        message += f', not {config!r}'
    if keypoint_set is not None:
        message += f'; the keypoints are the pose model\'s: build_pose_model(..., metainfo={keypoint_set!r})'
    return TypeError(message)


def box_iou(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU matrix ``(N, M)`` of xyxy boxes ``(N, 4)`` and ``(M, 4)``."""
    a = np.asarray(boxes_a, dtype=np.float64).reshape(-1, 1, 4)
    b = np.asarray(boxes_b, dtype=np.float64).reshape(1, -1, 4)
    inter = np.prod(np.clip(np.minimum(a[..., 2:], b[..., 2:]) - np.maximum(a[..., :2], b[..., :2]), 0, None), -1)
    area_a = np.prod(np.clip(a[..., 2:] - a[..., :2], 0, None), -1)
    area_b = np.prod(np.clip(b[..., 2:] - b[..., :2], 0, None), -1)
    union = area_a + area_b - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)


def greedy_match(iou: np.ndarray, thr: float) -> list[tuple[int, int]]:
    """Greedy one-to-one matching on an ``(N, M)`` similarity matrix: pairs ``(row, col)`` by decreasing
    similarity, each at least ``thr``."""
    if iou.size == 0:
        return []
    rows, cols = np.nonzero(iou >= thr)
    order = np.argsort(-iou[rows, cols], kind='stable')
    used_r: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    for r, c in zip(rows[order], cols[order]):
        if r not in used_r and c not in used_c:
            used_r.add(int(r))
            used_c.add(int(c))
            pairs.append((int(r), int(c)))
    return pairs


class PoseTracker:
    """Top-down multi-person pose tracker for video.

    Args:
        det_model: ``det_model(image) -> (boxes (N, 4) xyxy, scores (N,))``, e.g. a :class:`Detector`.
        pose_model: a :class:`TopDownPoseModel` or any object with ``preprocess(image, boxes)``, ``infer(inputs)`` and
            ``postprocess(outputs, batch)``; a plain callable ``pose_model(image, boxes) -> (keypoints (N, K, 2),
            scores (N, K))`` also works (its time is then all counted as ``pose``). Its ``keypoint_set`` (see
            :func:`~rtmpose.hub.build_pose_model`'s ``metainfo``) gives the OKS sigmas of the pose NMS; a set whose
            metainfo has no sigmas (most face sets) suppresses duplicates by the IoU of the keypoint boxes instead;
            a model without one gets the default set of its keypoint count (17: COCO, 133: COCO-WholeBody).
        config: the settings, e.g. ``TrackerConfig(det_interval=5)``.

    Attributes:
        config: the settings.
        timer: the seconds of each of :data:`STAGES` (and ``'total'``) of the last frame and summed over frames.
        det_frames: frames the detector ran on since :meth:`reset`.

    Raises:
        TypeError: settings given as keywords instead of in a :class:`TrackerConfig` (the message shows the call).
        ValueError: a model of ``K != 17`` keypoints without keypoint metadata (the message says how to pass it).
    """

    def __init__(self, det_model: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], pose_model: Any,
                 config: TrackerConfig = TrackerConfig(), **settings: Any):
        if settings or not isinstance(config, TrackerConfig):
            raise _settings_error(config, settings)
        self.det_model = det_model
        self.pose_model = pose_model
        self.config = config
        self.timer = StageTimer(STAGES)
        self.sigmas = None if config.sigmas is None else np.asarray(config.sigmas, dtype=np.float64)
        self._staged = all(hasattr(pose_model, name) for name in ('preprocess', 'infer', 'postprocess'))
        self.keypoint_set: KeypointSet | None = None
        self._given_set = getattr(pose_model, 'keypoint_set', None)
        num_keypoints = getattr(pose_model, 'num_keypoints', None)
        if isinstance(num_keypoints, int):
            self._resolve_keypoint_set(num_keypoints)
        self.reset()

    def _resolve_keypoint_set(self, num_keypoints: int) -> KeypointSet:
        """The keypoint set of a ``num_keypoints`` model (once): the one given, else the default of that ``K``
        (:func:`~rtmpose.metainfo.resolve_keypoint_set`)."""
        if self.keypoint_set is not None and self.keypoint_set.num_keypoints == num_keypoints:
            return self.keypoint_set
        self.keypoint_set = resolve_keypoint_set(self._given_set, num_keypoints)
        if self.sigmas is not None and len(self.sigmas) != num_keypoints:
            raise ValueError(f'{len(self.sigmas)} sigmas for a model of {num_keypoints} keypoints')
        return self.keypoint_set

    def new_sequence(self) -> None:
        """Forget the tracks and restart the frame counter (the next frame runs the detector), keeping the
        accumulated timings and counters: for unrelated images, or a cut in a video. Track ids restart at 0."""
        self.tracks = {}
        self.frame_idx = 0
        self.next_id = 0

    def reset(self) -> None:
        """Forget all tracks, the frame counter and the accumulated timings."""
        self.tracks: dict[int, _Track] = {}
        self.frame_idx = 0
        self.next_id = 0
        self.timer.reset()
        self.det_frames = 0

    def __call__(self, frame: np.ndarray, timestamp: float | None = None) -> list[PersonPose]:
        """Process the next video frame.

        Args:
            frame: ``(H, W, 3)`` BGR ``uint8``; grayscale ``(H, W)`` and BGRA ``(H, W, 4)`` are converted.
            timestamp: time of the frame in seconds for the smoother (default ``frame index / fps``).

        Returns:
            The people in this frame, sorted by ``track_id`` (empty when there is nobody).

        Raises:
            ValueError: ``frame`` is ``None`` or has an unsupported shape.
        """
        with self.timer.frame():
            image = ensure_bgr(frame)
            frame_idx = self.frame_idx
            self.frame_idx += 1
            stamp = frame_idx / self.config.fps if timestamp is None else float(timestamp)
            people: list[PersonPose] = []
            if image.shape[0] > 0 and image.shape[1] > 0:
                people = self._process(image, frame_idx, stamp)
            self.tracks = {tid: tr for tid, tr in self.tracks.items()
                           if frame_idx - tr.last_seen <= self.config.max_age}
        return people

    def _boxes_for_frame(self, image: np.ndarray,
                         frame_idx: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """Boxes ``(N, 4)``, box scores ``(N,)`` and source track ids ``(N,)`` (-1 = detection) for this frame."""
        is_det = frame_idx % self.config.det_interval == 0
        if is_det:
            with self.timer.stage('detect'):
                boxes, scores = self.det_model(image)
            self.det_frames += 1
            boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
            scores = np.asarray(scores, dtype=np.float32).reshape(-1)
            sources = np.full(len(boxes), -1, dtype=np.int64)
        else:
            alive = [tr for tr in self.tracks.values() if tr.last_seen == frame_idx - 1 and tr.box is not None]
            boxes = np.array([tr.box for tr in alive], dtype=np.float32).reshape(-1, 4)
            scores = np.array([tr.score for tr in alive], dtype=np.float32)
            sources = np.array([tr.track_id for tr in alive], dtype=np.int64)
        boxes = clip_boxes(boxes, image.shape)
        keep = valid_boxes(boxes, self.config.min_bbox_size)
        boxes, scores, sources = boxes[keep], scores[keep], sources[keep]
        max_persons = self.config.max_persons
        if max_persons is not None and len(boxes) > max_persons:
            top = np.argsort(-scores, kind='stable')[:max_persons]
            boxes, scores, sources = boxes[top], scores[top], sources[top]
        return boxes, scores, sources, is_det

    def _estimate(self, image: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keypoints ``(N, K, 2)`` and scores ``(N, K)`` for the boxes, timing crop / pose / decode."""
        if not self._staged:
            with self.timer.stage('pose'):
                keypoints, scores = self.pose_model(image, boxes)
            return np.asarray(keypoints, np.float32), np.asarray(scores, np.float32)
        with self.timer.stage('crop'):
            batch = self.pose_model.preprocess(image, boxes)
        with self.timer.stage('pose'):
            outputs = self.pose_model.infer(batch.inputs)
        with self.timer.stage('decode'):
            return self.pose_model.postprocess(outputs, batch)

    def _process(self, image: np.ndarray, frame_idx: int, stamp: float) -> list[PersonPose]:
        boxes, box_scores, sources, is_det = self._boxes_for_frame(image, frame_idx)
        if len(boxes) == 0:
            return []
        keypoints, kpt_scores = self._estimate(image, boxes)
        pose_scores = kpt_scores.mean(axis=1)

        with self.timer.stage('nms'):
            keep = self._pose_nms(keypoints, kpt_scores, pose_scores, boxes)
            keypoints, kpt_scores, pose_scores = keypoints[keep], kpt_scores[keep], pose_scores[keep]
            boxes, sources = boxes[keep], sources[keep]
        with self.timer.stage('track'):
            ids = self._track(keypoints, kpt_scores, pose_scores, boxes, sources, is_det, frame_idx)
        with self.timer.stage('smooth'):
            return self._people(keypoints, kpt_scores, pose_scores, boxes, ids, stamp)

    def _track(self, keypoints: np.ndarray, kpt_scores: np.ndarray, pose_scores: np.ndarray, boxes: np.ndarray,
               sources: np.ndarray, is_det: bool, frame_idx: int) -> np.ndarray:
        """The track id ``(N,)`` of each pose: a detection continues the track whose last box it overlaps most,
        a pose from a propagated box keeps its source's; new ones start tracks. Updates the tracks."""
        cfg = self.config
        kpt_boxes, has_box = keypoints_bbox(keypoints, kpt_scores, cfg.kpt_thr, cfg.min_keypoints)
        match_boxes = np.where(has_box[:, None], kpt_boxes, boxes)
        ids = sources.copy()
        if is_det:
            ids[:] = -1
            candidates = [tr for tr in self.tracks.values() if tr.last_seen < frame_idx]
            if candidates:
                iou = box_iou(match_boxes, np.stack([tr.match_box for tr in candidates]))
                for row, col in greedy_match(iou, cfg.match_iou_thr):
                    ids[row] = candidates[col].track_id
        for i in np.flatnonzero(ids < 0):
            ids[i] = self.next_id
            self.tracks[self.next_id] = _Track(self.next_id, None, match_boxes[i], frame_idx,
                                               cfg.new_filter() if cfg.smooth else None)
            self.next_id += 1
        for i, tid in enumerate(ids):
            track = self.tracks[int(tid)]
            track.box = kpt_boxes[i].copy() if has_box[i] else None
            track.match_box = match_boxes[i].copy()
            track.last_seen = frame_idx
            track.score = float(pose_scores[i])
        return ids

    def _people(self, keypoints: np.ndarray, kpt_scores: np.ndarray, pose_scores: np.ndarray, boxes: np.ndarray,
                ids: np.ndarray, stamp: float) -> list[PersonPose]:
        """The frame's people by track id, their keypoints smoothed by their track's filter at time ``stamp``."""
        people = []
        for i in np.argsort(ids, kind='stable'):
            track = self.tracks[int(ids[i])]
            smoothed = keypoints[i] if track.smoother is None else \
                track.smoother(keypoints[i], stamp).astype(np.float32)
            people.append(PersonPose(int(ids[i]), smoothed, kpt_scores[i], boxes[i], float(pose_scores[i]),
                                     keypoints[i]))
        return people

    def nms_sigmas(self, num_keypoints: int) -> np.ndarray | None:
        """The ``(K,)`` OKS sigmas the pose NMS uses (``None``: the set has none, keypoint-box IoU is used)."""
        kset = self._resolve_keypoint_set(num_keypoints)
        if self.sigmas is not None:
            return self.sigmas
        return kset.sigmas if kset.has_sigmas else None

    def _pose_nms(self, keypoints: np.ndarray, kpt_scores: np.ndarray, pose_scores: np.ndarray,
                  boxes: np.ndarray) -> np.ndarray:
        """Indices of the poses kept: OKS NMS with the set's sigmas, else IoU of the keypoint boxes."""
        sigmas = self.nms_sigmas(keypoints.shape[1])
        if sigmas is not None:
            return oks_nms(keypoints, pose_scores, np.prod(boxes[:, 2:] - boxes[:, :2], axis=1), self.config.nms_thr,
                           sigmas)
        kpt_boxes, has_box = keypoints_bbox(keypoints, kpt_scores, self.config.kpt_thr, 1)
        return nms_indices(np.where(has_box[:, None], kpt_boxes, boxes), pose_scores, self.config.nms_thr)


def stack_people(people: Sequence[PersonPose], num_keypoints: int = 17) -> dict[str, np.ndarray]:
    """Stack a frame's :class:`PersonPose` list into arrays: ``keypoints`` ``(N, K, 2)``, ``scores`` ``(N, K)``,
    ``bboxes`` ``(N, 4)``, ``track_ids`` ``(N,)``."""
    if not people:
        return {'keypoints': np.zeros((0, num_keypoints, 2), np.float32),
                'scores': np.zeros((0, num_keypoints), np.float32), 'bboxes': np.zeros((0, 4), np.float32),
                'track_ids': np.zeros(0, np.int64)}
    return {'keypoints': np.stack([p.keypoints for p in people]), 'scores': np.stack([p.scores for p in people]),
            'bboxes': np.stack([p.bbox for p in people]),
            'track_ids': np.array([p.track_id for p in people], dtype=np.int64)}

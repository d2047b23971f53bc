"""An RTMDet person detector on any backend: image -> letterboxed input -> backend -> boxes in image pixels.

Two output layouts are accepted, named in :class:`BoxConfig`:

- MMDeploy's export with NMS in the graph: ``dets`` ``(B, N, 5)`` (``x1, y1, x2, y2, score`` in input pixels) and
  ``labels`` ``(B, N)``;
- an export cut before its NMS (ncnn cannot run NonMaxSuppression, see
  :func:`rtmpose.deploy.onnx_graph.strip_detector_nms`): decoded ``boxes`` ``(B, N, 4)`` and sigmoid class scores
  ``(B, N, C)``; the NMS then runs here (:func:`.box_nms.nms_dets`), as MMDeploy's graph would.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ..backends import Backend
from .box_nms import nms_dets
from .frames import ensure_bgr
from .preprocess import clip_boxes, valid_boxes

Detections = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class LetterboxConfig:
    """MMDeploy's RTMDet SDK preprocessing: keep-ratio resize into ``input_size``, bottom/right padding, then
    ``(x - mean) / std``. Defaults: the official RTMDet-nano person model (``pipeline.json``), BGR.

    Attributes:
        input_size: ``(w, h)`` the image is resized into (keep ratio) and padded to.
        mean, std: per-channel normalisation in the network's channel order.
        to_rgb: feed RGB instead of BGR.
        pad_val: padding value.
    """

    input_size: tuple[int, int] = (320, 320)
    mean: tuple[float, ...] = (103.53, 116.28, 123.675)
    std: tuple[float, ...] = (57.375, 57.12, 58.395)
    to_rgb: bool = False
    pad_val: float = 114.0


@dataclass(frozen=True)
class BoxConfig:
    """Which boxes are kept.

    Attributes:
        output_names: ``('dets', 'labels')`` (NMS in the graph) or the boxes and scores of a graph cut before it.
        nms_in_graph: the network applies NMS itself; else :func:`.box_nms.nms_dets` runs here.
        score_thr: boxes scoring below it are dropped.
        det_cat_ids: keep only boxes of these class labels (MMPose's ``det_cat_ids``; ``(0,)`` = person in COCO
            and in the person-only models, ``(15, ..., 23)`` = COCO's animals); ``None`` keeps all.
        min_bbox_size: boxes narrower or lower than this (pixels, after clipping to the image) are dropped.
        nms_thr: IoU threshold of the NMS run here (RTMDet's test config: 0.6).
        max_dets: keep at most this many boxes per image (RTMDet: 100).
    """

    output_names: tuple[str, str] = ('dets', 'labels')
    nms_in_graph: bool = True
    score_thr: float = 0.3
    det_cat_ids: tuple[int, ...] | None = (0, )
    min_bbox_size: float = 1.0
    nms_thr: float = 0.6
    max_dets: int = 100

    def __post_init__(self) -> None:
        if self.det_cat_ids is not None:  # one id or several, as MMPose takes them
            ids = (self.det_cat_ids, ) if isinstance(self.det_cat_ids, int) else self.det_cat_ids
            object.__setattr__(self, 'det_cat_ids', tuple(int(i) for i in ids))


class Detector:
    """A detector (persons, or the classes of ``boxes.det_cat_ids``) on a backend; call it on a BGR image to get
    ``(boxes (N, 4) xyxy, scores (N,))``.

    Args:
        backend: the network (any :class:`~rtmpose.backends.Backend`).
        letterbox: preprocessing.
        boxes: output layout and box filtering.

    Raises:
        ValueError: the backend lacks the outputs ``boxes.output_names``.
    """

    def __init__(self, backend: Backend, letterbox: LetterboxConfig = LetterboxConfig(),
                 boxes: BoxConfig = BoxConfig()) -> None:
        names = backend.output_names
        if len(backend.inputs) != 1 or any(name not in names for name in boxes.output_names):
            raise ValueError(f'{backend.source!r} does not look like an RTMDet export: expected one input and '
                             f'outputs {list(boxes.output_names)}; got inputs {[p.name for p in backend.inputs]} '
                             f'and outputs {names}')
        self.backend, self.letterbox, self.boxes = backend, letterbox, boxes
        self._mean = np.asarray(letterbox.mean, np.float32)
        self._inv_std = (1.0 / np.asarray(letterbox.std, np.float32)).astype(np.float32)
        self._cat_ids = None if boxes.det_cat_ids is None else np.asarray(boxes.det_cat_ids)

    @property
    def score_thr(self) -> float:
        return self.boxes.score_thr

    def preprocess(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """BGR ``(H, W, 3)`` ``uint8`` -> network input ``(3, h, w)`` float32 and ``scale_factor`` ``(4,)``
        (``sx, sy, sx, sy``: input pixels per image pixel).

        Keep-ratio resize (MMCV's rule: the image fits ``input_size``), bottom/right padding to ``input_size``,
        then ``(x - mean) / std``.
        """
        height, width = image.shape[:2]
        target_w, target_h = self.letterbox.input_size
        ratio = min(max(target_w, target_h) / max(height, width), min(target_w, target_h) / min(height, width))
        new_w, new_h = max(int(width * ratio + 0.5), 1), max(int(height * ratio + 0.5), 1)
        # INTER_AREA would be kinder to huge images, but MMCV's Resize (and so the training data) is bilinear
        resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
        if self.letterbox.to_rgb:
            resized = resized[..., ::-1]
        pad_w, pad_h = max(target_w, new_w), max(target_h, new_h)
        canvas = np.empty((3, pad_h, pad_w), dtype=np.float32)  # planar: normalise while transposing, one pass
        for c in range(3):
            plane = canvas[c]
            plane[:new_h, :new_w] = resized[..., c]
            plane[:new_h, new_w:] = self.letterbox.pad_val
            plane[new_h:] = self.letterbox.pad_val
            plane -= self._mean[c]
            plane *= self._inv_std[c]
        scale = np.array([new_w / width, new_h / height] * 2, dtype=np.float32)
        return canvas, scale

    def postprocess(self, dets: np.ndarray, labels: np.ndarray, scale: np.ndarray,
                    image_shape: Sequence[int]) -> Detections:
        """Raw ``dets`` ``(N, 5)`` / ``labels`` ``(N,)`` of one image (input pixels) -> kept boxes ``(M, 4)`` xyxy
        in image pixels (clipped) and scores ``(M,)``, highest score first."""
        dets = np.asarray(dets, dtype=np.float32).reshape(-1, 5)
        labels = np.asarray(labels).reshape(-1)
        keep = dets[:, 4] >= self.boxes.score_thr
        if self._cat_ids is not None:  # np.isin would cost 10x more for these few ids
            keep &= (labels[:, None] == self._cat_ids).any(axis=1)
        boxes = clip_boxes(dets[keep, :4] / scale, image_shape)
        scores = dets[keep, 4]
        ok = valid_boxes(boxes, self.boxes.min_bbox_size)
        boxes, scores = boxes[ok], scores[ok]
        order = np.argsort(-scores, kind='stable')
        return boxes[order], scores[order]

    def raw_to_dets(self, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One image's outputs -> ``dets (N, 5)``, ``labels (N,)`` in input pixels (running the NMS when the graph
        has none)."""
        if self.boxes.nms_in_graph:
            return first, second
        cfg = self.boxes
        ids = cfg.det_cat_ids
        # the NMS is per class: one class is kept before it, several after it in postprocess (same boxes up to max_dets)
        only = ids[0] if ids is not None and len(ids) == 1 else None
        return nms_dets(first, second, cfg.score_thr, cfg.nms_thr, cfg.max_dets, only)

    def detect_batch(self, images: Sequence[np.ndarray]) -> list[Detections]:
        """Detect in several images, with one network call where the backend allows it (the official RTMDet-nano
        export does not: its in-graph NMS fails for batches above 1, and the backend falls back to one per call).

        Returns one ``(boxes (N, 4), scores (N,))`` pair per image.
        """
        images = [ensure_bgr(image) for image in images]
        results: list[Detections] = [_empty()] * len(images)
        groups: dict[tuple, list] = {}
        for i, image in enumerate(images):
            if image.shape[0] and image.shape[1]:
                data, scale = self.preprocess(image)
                groups.setdefault(data.shape, []).append((i, data, scale))  # one call per input shape
        for group in groups.values():
            batch = group[0][1][None] if len(group) == 1 else np.stack([data for _, data, _ in group])  # no copy
            for start, (first, second) in self.backend.run_chunks(batch, self.boxes.output_names):
                for j, (index, _, scale) in enumerate(group[start:start + len(first)]):
                    dets, labels = self.raw_to_dets(first[j], second[j])
                    results[index] = self.postprocess(dets, labels, scale, images[index].shape)
        return results

    def __call__(self, image: np.ndarray) -> Detections:
        """Detect people in a BGR image ``(H, W, 3)`` (grayscale and BGRA are converted).

        Returns ``boxes`` ``(N, 4)`` float32 xyxy in image pixels and ``scores`` ``(N,)`` float32.
        """
        return self.detect_batch([image])[0]


def _empty() -> Detections:
    return np.zeros((0, 4), np.float32), np.zeros(0, np.float32)

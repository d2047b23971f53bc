"""RTMDet person detector exported by MMDeploy, run with ONNX Runtime (no OpenMMLab import).

The MMDeploy ONNX export of RTMDet has input ``input`` ``(B, 3, H, W)`` float32 and outputs ``dets``
``(B, N, 5)`` (``x1, y1, x2, y2, score`` in input pixels, NMS already applied in the graph) and ``labels`` ``(B, N)``.

:class:`RTMDetBase` holds the part every backend shares (MMDeploy's RTMDet SDK preprocessing: keep-ratio resize,
bottom/right padding, normalisation; and the box post-processing back to image pixels).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import cv2
import numpy as np

from .frames import ensure_bgr
from .model_files import (BatchRunner, OnnxRuntimeModel, find_transform, load_pipeline, providers_for_device, read_json,
                          resolve_model)
from .preprocess import clip_boxes, valid_boxes

#: Official RTMDet-nano person preprocessing (``rtmdet-nano-person/pipeline.json``), channel order BGR.
DEFAULT_DET_INPUT_SIZE = (320, 320)
DEFAULT_DET_MEAN = (103.53, 116.28, 123.675)
DEFAULT_DET_STD = (57.375, 57.12, 58.395)
DEFAULT_DET_PAD_VAL = 114.0


def read_det_sdk_meta(meta_dir: str | Path) -> dict[str, Any]:
    """Input size, pad value and normalisation from an MMDeploy SDK ``pipeline.json`` of a detector."""
    meta_dir = Path(meta_dir)
    transforms = load_pipeline(meta_dir)['transforms']
    meta: dict[str, Any] = {}
    resize = find_transform(transforms, 'Resize')
    if resize is not None:
        if not resize.get('keep_ratio', False):
            raise ValueError(f'{meta_dir}/pipeline.json: only keep-ratio Resize is supported, got {resize}')
        meta['input_size'] = tuple(resize['size'])
    for transform in transforms:
        if transform.get('type') == 'Pad' and 'size' in transform:
            meta['input_size'] = tuple(transform['size'])
            pad_val = transform.get('pad_val', DEFAULT_DET_PAD_VAL)
            pad_val = pad_val.get('img', DEFAULT_DET_PAD_VAL) if isinstance(pad_val, dict) else pad_val
            meta['pad_val'] = float(np.mean(pad_val))
    normalize = find_transform(transforms, 'Normalize')
    if normalize is not None:
        meta.update(mean=normalize['mean'], std=normalize['std'], to_rgb=normalize.get('to_rgb', False))
    return meta


class RTMDetBase:
    """Preprocessing and box post-processing shared by the RTMDet backends.

    Subclasses call :meth:`_configure` and implement :meth:`detect_batch`.
    """

    backend = 'none'

    def _configure(self, meta: dict[str, Any], score_thr: float, person_label: int | None,
                   input_size: Sequence[int] | None, mean: Sequence[float] | None, std: Sequence[float] | None,
                   to_rgb: bool | None, pad_val: float | None, min_bbox_size: float) -> None:
        """Set the preprocessing from explicit arguments, else the SDK meta, else RTMDet-nano's values."""
        self.input_size = tuple(int(v) for v in (input_size or meta.get('input_size') or DEFAULT_DET_INPUT_SIZE))
        self.mean = np.asarray(mean if mean is not None else meta.get('mean', DEFAULT_DET_MEAN), np.float32)
        self.std = np.asarray(std if std is not None else meta.get('std', DEFAULT_DET_STD), np.float32)
        self.to_rgb = bool(to_rgb if to_rgb is not None else meta.get('to_rgb', False))
        self.pad_val = float(pad_val if pad_val is not None else meta.get('pad_val', DEFAULT_DET_PAD_VAL))
        self.score_thr = float(score_thr)
        self.person_label = person_label
        self.min_bbox_size = float(min_bbox_size)
        self._inv_std = (1.0 / self.std).astype(np.float32)

    def preprocess(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """BGR ``(H, W, 3)`` ``uint8`` -> network input ``(3, h, w)`` float32 and ``scale_factor`` ``(4,)``
        (``sx, sy, sx, sy``: input pixels per image pixel).

        Keep-ratio resize (MMCV's rule: the image fits ``input_size``), bottom/right padding to ``input_size``,
        then ``(x - mean) / std``.
        """
        height, width = image.shape[:2]
        target_w, target_h = self.input_size
        ratio = min(max(target_w, target_h) / max(height, width), min(target_w, target_h) / min(height, width))
        new_w, new_h = max(int(width * ratio + 0.5), 1), max(int(height * ratio + 0.5), 1)
        # INTER_AREA would be kinder to huge images, but MMCV's Resize (and so the training data) is bilinear
        resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
        if self.to_rgb:
            resized = resized[..., ::-1]
        pad_w, pad_h = max(target_w, new_w), max(target_h, new_h)
        canvas = np.empty((3, pad_h, pad_w), dtype=np.float32)  # planar: normalise while transposing, one pass
        for c in range(3):
            plane = canvas[c]
            plane[:new_h, :new_w] = resized[..., c]
            plane[:new_h, new_w:] = self.pad_val
            plane[new_h:] = self.pad_val
            plane -= self.mean[c]
            plane *= self._inv_std[c]
        scale = np.array([new_w / width, new_h / height] * 2, dtype=np.float32)
        return canvas, scale

    def postprocess(self, dets: np.ndarray, labels: np.ndarray, scale: np.ndarray,
                    image_shape: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Raw ``dets`` ``(N, 5)`` / ``labels`` ``(N,)`` of one image (input pixels) -> kept boxes ``(M, 4)`` xyxy
        in image pixels (clipped) and scores ``(M,)``, highest score first."""
        dets = np.asarray(dets, dtype=np.float32).reshape(-1, 5)
        labels = np.asarray(labels).reshape(-1)
        keep = dets[:, 4] >= self.score_thr
        if self.person_label is not None:
            keep &= labels == self.person_label
        boxes = clip_boxes(dets[keep, :4] / scale, image_shape)
        scores = dets[keep, 4]
        ok = valid_boxes(boxes, self.min_bbox_size)
        boxes, scores = boxes[ok], scores[ok]
        order = np.argsort(-scores, kind='stable')
        return boxes[order], scores[order]

    def detect_batch(self, images: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Detect in several images; one ``(boxes (N, 4), scores (N,))`` pair per image."""
        raise NotImplementedError

    def __call__(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Detect people in a BGR image ``(H, W, 3)`` (grayscale and BGRA are converted).

        Returns ``boxes`` ``(N, 4)`` float32 xyxy in image pixels and ``scores`` ``(N,)`` float32.
        """
        return self.detect_batch([image])[0]

    @staticmethod
    def _empty() -> tuple[np.ndarray, np.ndarray]:
        return np.zeros((0, 4), np.float32), np.zeros(0, np.float32)


class RTMDetONNX(OnnxRuntimeModel, RTMDetBase):
    """ONNX Runtime RTMDet detector returning person boxes in image coordinates.

    Args:
        model: the ``end2end.onnx`` file or the MMDeploy SDK folder holding it. With an SDK folder (or an ONNX
            file inside one), the resize size, pad value, mean/std and channel order come from ``pipeline.json``.
        score_thr: boxes scoring below it are dropped.
        person_label: keep only this class label (0 = person in COCO and in the person-only model); ``None`` keeps
            all labels.
        input_size: ``(w, h)`` the image is resized into (keep ratio) and padded to; overrides the SDK meta.
        mean, std: per-channel normalisation in the network's channel order; override the SDK meta.
        to_rgb: feed RGB instead of BGR; overrides the SDK meta.
        pad_val: padding value; overrides the SDK meta.
        min_bbox_size: boxes narrower or lower than this (pixels, after clipping to the image) are dropped.
        intra_op_threads, inter_op_threads, providers, allow_spinning: ONNX Runtime session settings (see
            :func:`~rtmpose.inference.model_files.create_session`).
        device: ``'cpu'`` (default) or ``'cuda'`` / ``'cuda:N'``; picks the execution provider unless
            ``providers`` is given.
    """

    def __init__(self, model: str | Path, score_thr: float = 0.3, person_label: int | None = 0,
                 input_size: Sequence[int] | None = None, mean: Sequence[float] | None = None,
                 std: Sequence[float] | None = None, to_rgb: bool | None = None, pad_val: float | None = None,
                 min_bbox_size: float = 1.0, intra_op_threads: int | None = None,
                 inter_op_threads: int | None = None, providers: Sequence[Any] | None = None,
                 allow_spinning: bool = False, device: str = 'cpu'):
        self.onnx_path, self.meta_dir = resolve_model(model, 'RTMDet detector')
        meta = read_det_sdk_meta(self.meta_dir) if self.meta_dir is not None else {}
        self._configure(meta, score_thr, person_label, input_size, mean, std, to_rgb, pad_val, min_bbox_size)
        self.session = self._open_session('RTMDet detector', intra_op_threads=intra_op_threads,
                                          inter_op_threads=inter_op_threads,
                                          providers=providers or providers_for_device(device),
                                          allow_spinning=allow_spinning)
        inputs = self.session.get_inputs()
        outputs = [o.name for o in self.session.get_outputs()]
        if len(inputs) != 1 or 'dets' not in outputs or 'labels' not in outputs:
            raise ValueError(f'{str(self.onnx_path)!r} does not look like an MMDeploy detection export: expected one '
                             f'input and outputs "dets", "labels"; got inputs {[i.name for i in inputs]} and '
                             f'outputs {outputs}')
        self.runner = BatchRunner(self.session)
        if self.meta_dir is not None and _sdk_batch_size(self.meta_dir) == 1:
            self.runner.batch_ok = False  # MMDeploy's batch_size 1 export: its in-graph NMS does not batch

    _read_meta = staticmethod(read_det_sdk_meta)

    def detect_batch(self, images: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Detect in several images, with one network call where the model allows it (the official RTMDet-nano
        export does not: its in-graph NMS fails for batches above 1, and the runner falls back to one per call).

        Returns one ``(boxes (N, 4), scores (N,))`` pair per image.
        """
        images = [ensure_bgr(image) for image in images]
        results: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(images)
        prepared = []
        for i, image in enumerate(images):
            if image.shape[0] == 0 or image.shape[1] == 0:
                results[i] = self._empty()
            else:
                prepared.append((i, *self.preprocess(image)))
        groups: dict[tuple, list] = {}
        for item in prepared:  # one network call per input shape (all the same with the usual Pad)
            groups.setdefault(item[1].shape, []).append(item)
        for group in groups.values():
            batch = group[0][1][None] if len(group) == 1 else np.stack([item[1] for item in group])
            for start, (dets, labels) in self.runner.run(['dets', 'labels'], batch):
                for j, (index, _, scale) in enumerate(group[start:start + len(dets)]):
                    results[index] = self.postprocess(dets[j], labels[j], scale, images[index].shape)
        return results  # type: ignore[return-value]


def _sdk_batch_size(meta_dir: Path) -> int | None:
    """``models[0].batch_size`` of an MMDeploy SDK ``deploy.json``, if any."""
    try:
        return int(read_json(meta_dir / 'deploy.json')['models'][0]['batch_size'])
    except (FileNotFoundError, KeyError, IndexError, TypeError, ValueError):
        return None

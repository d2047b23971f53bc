"""RTMPose top-down pose estimator run with ONNX Runtime (no OpenMMLab import).

Two kinds of ONNX file are accepted, told apart by their output names:

- the MMDeploy export: input ``input`` ``(B, 3, h, w)``, outputs ``simcc_x`` ``(B, K, w * r)`` and ``simcc_y``
  ``(B, K, h * r)`` (``r`` = ``simcc_split_ratio``), decoded here with :func:`simcc_decode`;
- an export with the decode in the graph: outputs ``keypoints`` ``(B, K, 2)`` in input pixels and ``scores``
  ``(B, K)``.

All crops of a frame run as one batch when the model's batch axis is dynamic; a model with a static batch (e.g. 1)
is run chunk by chunk.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .frames import ensure_bgr
from .model_files import BatchRunner, create_session, find_transform, load_pipeline, resolve_model
from .preprocess import (DEFAULT_INPUT_SIZE, DEFAULT_MEAN, DEFAULT_PADDING, DEFAULT_STD, bboxes_to_center_scale,
                         crop_batch, keypoints_to_image, normalize_batch, valid_boxes)
from .simcc_decode import simcc_decode

DEFAULT_SPLIT_RATIO = 2.0


@dataclass
class PoseBatch:
    """Network input for the boxes of one image.

    Attributes:
        inputs: ``(M, 3, h, w)`` float32, one crop per valid box.
        centers: ``(N, 2)`` crop centers (image pixels), one per box given.
        scales: ``(N, 2)`` aspect-fixed, padded crop sizes (image pixels).
        valid: ``(N,)`` bool, boxes that were cropped (finite, positive width and height); ``M = valid.sum()``.
    """
    inputs: np.ndarray
    centers: np.ndarray
    scales: np.ndarray
    valid: np.ndarray


class RTMPoseONNX:
    """ONNX Runtime RTMPose.

    Args:
        model: an ONNX file, or an MMDeploy SDK folder holding ``end2end.onnx`` and its meta.
        meta: an MMDeploy SDK folder whose ``pipeline.json`` gives the preprocessing and decoding (e.g. the
            official ``rtmpose-m-sdk-meta``); default: ``model`` itself when it is (or sits in) an SDK folder.
        input_size: model input ``(w, h)``; default from the meta, else from the ONNX input shape, else 192x256.
        mean, std: normalisation in the network's channel order; default from the meta, else MMPose's RGB values.
        to_rgb: swap BGR to RGB before normalising; default from the meta, else ``True``.
        padding: box enlargement before cropping; default from the meta, else 1.25.
        simcc_split_ratio: SimCC bins per pixel; default from the meta, else from the output width, else 2.0.
        num_keypoints: ``K`` for empty results when the ONNX output shape does not say it (default 17).
        max_batch_size: cap on crops per network call (default: all crops of a frame at once).
        intra_op_threads, inter_op_threads, providers, allow_spinning: ONNX Runtime session settings (see
            :func:`~rtmpose.inference.model_files.create_session`).

    Raises:
        FileNotFoundError: ``model`` or ``meta`` does not exist.
        ValueError: the file is not an ONNX model, its outputs are neither SimCC nor decoded keypoints, or its
            input shape contradicts ``input_size``.
    """

    def __init__(self, model: str | Path, meta: str | Path | None = None, input_size: Sequence[int] | None = None,
                 mean: Sequence[float] | None = None, std: Sequence[float] | None = None,
                 to_rgb: bool | None = None, padding: float | None = None, simcc_split_ratio: float | None = None,
                 num_keypoints: int | None = None, max_batch_size: int | None = None,
                 intra_op_threads: int | None = None, inter_op_threads: int | None = None,
                 providers: Sequence[Any] | None = None, allow_spinning: bool = False):
        self.onnx_path, meta_dir = resolve_model(model, 'RTMPose')
        if meta is not None:
            meta_dir = Path(meta).expanduser()
            if not (meta_dir / 'pipeline.json').is_file():
                raise FileNotFoundError(f'RTMPose meta: no pipeline.json in {str(meta_dir)!r}; pass an MMDeploy SDK '
                                        f'folder (with pipeline.json) or leave meta=None and give the settings')
        self.meta_dir = meta_dir
        info = self._read_meta(meta_dir) if meta_dir is not None else {}

        self.session = create_session(self.onnx_path, 'RTMPose', intra_op_threads, inter_op_threads, providers,
                                      allow_spinning)
        inputs = self.session.get_inputs()
        if len(inputs) != 1 or len(inputs[0].shape) != 4:
            raise ValueError(f'{str(self.onnx_path)!r}: expected one (B, 3, h, w) input, got '
                             f'{[(i.name, i.shape) for i in inputs]}')
        self.runner = BatchRunner(self.session, max_batch_size)
        _, _, onnx_h, onnx_w = inputs[0].shape
        onnx_size = (onnx_w, onnx_h) if isinstance(onnx_w, int) and isinstance(onnx_h, int) else None

        size = input_size or info.get('input_size') or onnx_size or DEFAULT_INPUT_SIZE
        self.input_size = (int(size[0]), int(size[1]))
        if onnx_size is not None and onnx_size != self.input_size:
            raise ValueError(f'{str(self.onnx_path)!r} takes {onnx_size[0]}x{onnx_size[1]} (w x h) input, but the '
                             f'input size is set to {self.input_size[0]}x{self.input_size[1]}')
        self.mean = np.asarray(mean if mean is not None else info.get('mean', DEFAULT_MEAN), np.float32)
        self.std = np.asarray(std if std is not None else info.get('std', DEFAULT_STD), np.float32)
        self.to_rgb = bool(to_rgb if to_rgb is not None else info.get('to_rgb', True))
        self.padding = float(padding if padding is not None else info.get('padding', DEFAULT_PADDING))

        outputs = self.session.get_outputs()
        names = [o.name for o in outputs]
        shapes = {o.name: o.shape for o in outputs}
        if 'simcc_x' in names and 'simcc_y' in names:
            self.mode, self.output_names = 'simcc', ['simcc_x', 'simcc_y']
        elif 'keypoints' in names and 'scores' in names:
            self.mode, self.output_names = 'decoded', ['keypoints', 'scores']
        else:
            raise ValueError(f'{str(self.onnx_path)!r}: outputs {names} are neither "simcc_x"/"simcc_y" (MMDeploy '
                             f'RTMPose export) nor "keypoints"/"scores" (decode in the graph)')
        num_k = shapes[self.output_names[0]][1] if len(shapes[self.output_names[0]]) > 1 else None
        self.num_keypoints = int(num_k) if isinstance(num_k, int) else int(num_keypoints or 17)

        ratio = simcc_split_ratio or info.get('simcc_split_ratio')
        bins_x = shapes['simcc_x'][-1] if self.mode == 'simcc' else None
        if ratio is None:
            ratio = bins_x / self.input_size[0] if isinstance(bins_x, int) else DEFAULT_SPLIT_RATIO
        elif isinstance(bins_x, int) and abs(bins_x - ratio * self.input_size[0]) > 0.5:
            raise ValueError(f'{str(self.onnx_path)!r}: simcc_x has {bins_x} bins, but input width '
                             f'{self.input_size[0]} x simcc_split_ratio {ratio} = {ratio * self.input_size[0]}')
        self.simcc_split_ratio = float(ratio)

    @property
    def static_batch(self) -> int | None:
        """The batch size fixed in the ONNX input shape, or ``None`` for a dynamic batch axis."""
        return self.runner.static_batch

    @staticmethod
    def _read_meta(meta_dir: Path) -> dict[str, Any]:
        """Input size, padding, normalisation and SimCC split ratio from an MMDeploy SDK ``pipeline.json``."""
        pipeline = load_pipeline(meta_dir)
        transforms, post = pipeline['transforms'], pipeline['postprocess'] or {}
        info: dict[str, Any] = {}
        center_scale = find_transform(transforms, 'TopDownGetBboxCenterScale', 'GetBBoxCenterScale')
        if center_scale is not None:
            info['padding'] = center_scale.get('padding', DEFAULT_PADDING)
        affine = find_transform(transforms, 'TopDownAffine', 'TopdownAffine')
        if affine is None:
            raise ValueError(f'{meta_dir}/pipeline.json has no TopDownAffine transform: not a top-down pose model')
        info['input_size'] = tuple(affine.get('image_size') or affine.get('input_size'))
        normalize = find_transform(transforms, 'Normalize')
        if normalize is not None:
            info.update(mean=normalize['mean'], std=normalize['std'], to_rgb=normalize.get('to_rgb', False))
        if 'simcc_split_ratio' in post:
            info['simcc_split_ratio'] = post['simcc_split_ratio']
        if post.get('use_dark'):
            warnings.warn(f'{meta_dir}/pipeline.json asks for DARK refinement, which RTMPoseONNX does not apply')
        return info

    def preprocess(self, image: np.ndarray, bboxes: np.ndarray) -> PoseBatch:
        """Crop and normalise the boxes ``(N, 4)`` xyxy of a BGR ``uint8`` image ``(H, W, 3)``."""
        boxes = np.asarray(bboxes, dtype=np.float64).reshape(-1, 4)
        valid = valid_boxes(boxes, min_size=np.finfo(np.float32).tiny)
        if image.shape[0] == 0 or image.shape[1] == 0:
            valid[:] = False
        centers, scales = bboxes_to_center_scale(np.where(valid[:, None], boxes, 0.0), self.input_size,
                                                 self.padding)
        crops, _ = crop_batch(image, centers[valid], scales[valid], self.input_size)
        inputs = normalize_batch(crops, self.mean, self.std, self.to_rgb)
        return PoseBatch(inputs, centers, scales, valid)

    def infer(self, inputs: np.ndarray) -> list[np.ndarray]:
        """Run the network on ``(M, 3, h, w)`` inputs; returns the two outputs (``simcc_x``, ``simcc_y`` or
        ``keypoints``, ``scores``) for all ``M`` crops, in as few calls as the model's batch axis allows."""
        count = len(inputs)
        if count == 0:
            return [np.zeros((0, self.num_keypoints, 0), np.float32)] * 2 if self.mode == 'simcc' else \
                [np.zeros((0, self.num_keypoints, 2), np.float32), np.zeros((0, self.num_keypoints), np.float32)]
        parts: list[list[np.ndarray]] = [[], []]
        for _, outputs in self.runner.run(self.output_names, inputs):
            for part, out in zip(parts, outputs):
                part.append(out)
        return [np.concatenate(part) for part in parts]

    def postprocess(self, outputs: Sequence[np.ndarray], batch: PoseBatch) -> tuple[np.ndarray, np.ndarray]:
        """Network outputs for the valid crops -> ``keypoints`` ``(N, K, 2)`` float32 image pixels and ``scores``
        ``(N, K)`` float32 for all ``N`` boxes (rows of invalid boxes are zeros)."""
        if self.mode == 'simcc':
            if len(outputs[0]) == 0:
                kpts = np.zeros((0, self.num_keypoints, 2), np.float32)
                scores = np.zeros((0, self.num_keypoints), np.float32)
            else:
                kpts, scores = simcc_decode(outputs[0], outputs[1], self.simcc_split_ratio)
        else:
            kpts = np.asarray(outputs[0], np.float32)
            scores = np.asarray(outputs[1], np.float32)
        count = len(batch.valid)
        num_k = kpts.shape[1] if len(kpts) else self.num_keypoints
        all_kpts = np.zeros((count, num_k, 2), np.float32)
        all_scores = np.zeros((count, num_k), np.float32)
        all_kpts[batch.valid] = keypoints_to_image(kpts, batch.centers[batch.valid], batch.scales[batch.valid],
                                                   self.input_size)
        all_scores[batch.valid] = scores
        return all_kpts, all_scores

    def __call__(self, image: np.ndarray, bboxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Estimate one pose per box.

        Args:
            image: ``(H, W, 3)`` BGR ``uint8`` (grayscale / BGRA are converted).
            bboxes: ``(N, 4)`` xyxy boxes in image pixels (not clipped: as in MMPose, crops may extend past the
                image and are zero-filled there). Degenerate boxes (non-finite, zero width or height) are not run
                and get all-zero keypoints and scores.

        Returns:
            ``keypoints`` ``(N, K, 2)`` float32 image pixels and ``scores`` ``(N, K)`` float32.
        """
        batch = self.preprocess(ensure_bgr(image), bboxes)
        return self.postprocess(self.infer(batch.inputs), batch)

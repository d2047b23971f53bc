"""Backend-independent part of a top-down RTMPose model: crops in, keypoints out.

A backend (ONNX Runtime, ncnn, PyTorch) only implements :meth:`TopDownPoseModel.infer`, the network call on a stack
of normalised crops; preprocessing (box -> affine crop -> normalised ``(M, 3, h, w)`` float32) and decoding (SimCC
argmax -> crop pixels -> image pixels) are shared, so every backend sees the same input and is decoded the same way.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .frames import ensure_bgr
from .model_files import find_transform, load_pipeline
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


def read_pose_sdk_meta(meta_dir: str | Path) -> dict[str, Any]:
    """Input size, padding, normalisation and SimCC split ratio from an MMDeploy SDK ``pipeline.json``.

    Raises:
        FileNotFoundError: no ``pipeline.json`` in ``meta_dir``.
        ValueError: the pipeline has no ``TopDownAffine``: it is not a top-down pose model's.
    """
    meta_dir = Path(meta_dir)
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
        warnings.warn(f'{meta_dir}/pipeline.json asks for DARK refinement, which is not applied here')
    return info


class TopDownPoseModel:
    """Shared preprocessing and decoding of the RTMPose backends.

    Subclasses set the attributes below (usually with :meth:`_configure`) and implement :meth:`infer`.

    Attributes:
        backend: ``'onnxruntime'``, ``'ncnn'`` or ``'torch'``.
        input_size: network input ``(w, h)``.
        mean, std: ``(3,)`` float32 normalisation in the network's channel order.
        to_rgb: the network takes RGB (crops are BGR and get swapped).
        padding: box enlargement before cropping.
        simcc_split_ratio: SimCC bins per input pixel.
        num_keypoints: ``K``.
        mode: ``'simcc'`` (outputs ``simcc_x (M, K, w*r)``, ``simcc_y (M, K, h*r)``) or ``'decoded'`` (outputs
            ``keypoints (M, K, 2)`` in input pixels and ``scores (M, K)``).
    """

    backend = 'none'
    input_size: tuple[int, int]
    mean: np.ndarray
    std: np.ndarray
    to_rgb: bool
    padding: float
    simcc_split_ratio: float
    num_keypoints: int
    mode: str = 'simcc'

    def _configure(self, info: dict[str, Any], input_size: Sequence[int] | None, mean: Sequence[float] | None,
                   std: Sequence[float] | None, to_rgb: bool | None, padding: float | None,
                   fallback_size: Sequence[int] | None = None) -> None:
        """Set the preprocessing from explicit arguments, else the meta ``info``, else MMPose's defaults."""
        size = input_size or info.get('input_size') or fallback_size or DEFAULT_INPUT_SIZE
        self.input_size = (int(size[0]), int(size[1]))
        self.mean = np.asarray(mean if mean is not None else info.get('mean', DEFAULT_MEAN), np.float32)
        self.std = np.asarray(std if std is not None else info.get('std', DEFAULT_STD), np.float32)
        self.to_rgb = bool(to_rgb if to_rgb is not None else info.get('to_rgb', True))
        self.padding = float(padding if padding is not None else info.get('padding', DEFAULT_PADDING))

    def infer(self, inputs: np.ndarray) -> list[np.ndarray]:
        """Run the network on ``(M, 3, h, w)`` float32 inputs; returns its two outputs for all ``M`` crops."""
        raise NotImplementedError

    def _empty_outputs(self) -> list[np.ndarray]:
        if self.mode == 'simcc':
            return [np.zeros((0, self.num_keypoints, 0), np.float32)] * 2
        return [np.zeros((0, self.num_keypoints, 2), np.float32), np.zeros((0, self.num_keypoints), np.float32)]

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
        if len(batch.inputs) == 0:
            return self.postprocess(self._empty_outputs(), batch)
        return self.postprocess(self.infer(batch.inputs), batch)

    def _check_simcc_bins(self, bins_x: Any, where: str) -> None:
        """Raise when the SimCC x width contradicts ``input_size`` x ``simcc_split_ratio``."""
        if isinstance(bins_x, (int, np.integer)) and abs(bins_x - self.simcc_split_ratio * self.input_size[0]) > 0.5:
            raise ValueError(f'{where}: simcc_x has {bins_x} bins, but input width {self.input_size[0]} x '
                             f'simcc_split_ratio {self.simcc_split_ratio} = '
                             f'{self.simcc_split_ratio * self.input_size[0]}')

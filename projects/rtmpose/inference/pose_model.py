"""A top-down RTMPose model on any backend: boxes -> crops -> backend -> SimCC decode -> image keypoints.

The backend (:mod:`rtmpose.backends`) only maps a stack of normalised crops ``(M, 3, h, w)`` to the network's two
outputs; cropping and decoding are done here, once, so every backend sees the same input and is decoded the same
way. :func:`~rtmpose.inference.build_pose_model` builds one from a model file and its metadata.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..backends import Backend
from ..codecs.simcc_decode import simcc_decode
from ..metainfo import KeypointSet
from .frames import ensure_bgr
from .preprocess import (
    DEFAULT_INPUT_SIZE,
    DEFAULT_MEAN,
    DEFAULT_PADDING,
    DEFAULT_STD,
    bboxes_to_center_scale,
    crop_batch,
    keypoints_to_image,
    normalize_batch,
    valid_boxes,
)


@dataclass(frozen=True)
class CropConfig:
    """How a box becomes network input (MMPose's ``GetBBoxCenterScale`` + ``TopdownAffine`` + data preprocessor).

    Attributes:
        input_size: network input ``(w, h)``.
        mean, std: ``(3,)`` normalisation in the network's channel order.
        to_rgb: the network takes RGB (crops are BGR and get swapped).
        padding: box enlargement before cropping.
    """

    input_size: tuple[int, int] = DEFAULT_INPUT_SIZE
    mean: tuple[float, ...] = DEFAULT_MEAN
    std: tuple[float, ...] = DEFAULT_STD
    to_rgb: bool = True
    padding: float = DEFAULT_PADDING


@dataclass(frozen=True)
class DecodeConfig:
    """How the network's outputs become keypoints.

    Attributes:
        output_names: the backend outputs read: ``simcc_x (M, K, w*r)``, ``simcc_y (M, K, h*r)``, or, with
            ``in_graph``, ``keypoints (M, K, 2)`` in input pixels and ``scores (M, K)``.
        simcc_split_ratio: SimCC bins per input pixel ``r``.
        in_graph: the network decodes itself (MMDeploy's ``export_postprocess``).
    """

    output_names: tuple[str, str] = ('simcc_x', 'simcc_y')
    simcc_split_ratio: float = 2.0
    in_graph: bool = False


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


class TopDownPoseModel:
    """RTMPose on a backend.

    Args:
        backend: the network (any :class:`~rtmpose.backends.Backend`).
        crop: preprocessing.
        decode: decoding.
        num_keypoints: ``K`` when the outputs' declared shape does not give it (default: from the declared output
            shape, else from one inference of a blank crop).
        keypoint_set: the keypoints the model predicts (names, skeleton, OKS sigmas, colours); ``None`` when not
            known (:func:`~rtmpose.inference.build_pose_model` sets it from the model's metadata).

    Raises:
        ValueError: the backend lacks the outputs ``decode`` names, or their declared widths contradict
            ``input_size`` x ``simcc_split_ratio``.
    """

    def __init__(self, backend: Backend, crop: CropConfig = CropConfig(), decode: DecodeConfig = DecodeConfig(),
                 num_keypoints: int | None = None, keypoint_set: KeypointSet | None = None) -> None:
        self.backend, self.crop, self.decode = backend, crop, decode
        self.keypoint_set = keypoint_set
        shapes = {port.name: port.shape for port in backend.outputs}
        missing = [name for name in decode.output_names if name not in shapes]
        if missing:
            raise ValueError(f'{backend.source!r}: outputs {list(shapes)} lack {missing}; an RTMPose export has '
                             f'"simcc_x"/"simcc_y" (MMDeploy) or "keypoints"/"scores" (decode in the graph)')
        declared = shapes[decode.output_names[0]]
        declared_k = declared[1] if len(declared) > 2 else None
        self._checked = False
        if not decode.in_graph and isinstance(declared[-1], int) and len(declared) == 3:
            self._check_bins(declared[-1])
        if isinstance(declared_k, int) or num_keypoints is not None:
            self.num_keypoints = int(declared_k if isinstance(declared_k, int) else num_keypoints)
        else:  # MMDeploy's dynamic exports leave K a symbol and ncnn declares no shapes: one blank crop tells it
            width, height = crop.input_size
            self.infer(self.preprocess(np.zeros((height, width, 3), np.uint8),
                                       np.array([[0, 0, width, height]], np.float32)).inputs)

    @property
    def input_size(self) -> tuple[int, int]:
        return self.crop.input_size

    @property
    def padding(self) -> float:
        return self.crop.padding

    @property
    def mean(self) -> np.ndarray:
        return np.asarray(self.crop.mean, np.float32)

    @property
    def std(self) -> np.ndarray:
        return np.asarray(self.crop.std, np.float32)

    @property
    def to_rgb(self) -> bool:
        return self.crop.to_rgb

    @property
    def simcc_split_ratio(self) -> float:
        return self.decode.simcc_split_ratio

    @property
    def mode(self) -> str:
        """``'simcc'`` (the network outputs SimCC vectors) or ``'decoded'`` (keypoints and scores)."""
        return 'decoded' if self.decode.in_graph else 'simcc'

    def preprocess(self, image: np.ndarray, bboxes: np.ndarray) -> PoseBatch:
        """Crop and normalise the boxes ``(N, 4)`` xyxy of a BGR ``uint8`` image ``(H, W, 3)``."""
        boxes = np.asarray(bboxes, dtype=np.float64).reshape(-1, 4)
        valid = valid_boxes(boxes, min_size=np.finfo(np.float32).tiny)
        if image.shape[0] == 0 or image.shape[1] == 0:
            valid[:] = False
        centers, scales = bboxes_to_center_scale(np.where(valid[:, None], boxes, 0.0), self.input_size,
                                                 self.padding)
        crops, _ = crop_batch(image, centers[valid], scales[valid], self.input_size)
        inputs = normalize_batch(crops, self.crop.mean, self.crop.std, self.crop.to_rgb)
        return PoseBatch(inputs, centers, scales, valid)

    def infer(self, inputs: np.ndarray) -> list[np.ndarray]:
        """The network's two outputs (``simcc_x``, ``simcc_y`` or ``keypoints``, ``scores``) for ``(M, 3, h, w)``
        crops."""
        if len(inputs) == 0:
            return self._empty_outputs()
        outputs = self.backend(inputs, self.decode.output_names)
        if not self._checked:
            self._check_outputs(outputs)
        return outputs

    def postprocess(self, outputs: Sequence[np.ndarray], batch: PoseBatch) -> tuple[np.ndarray, np.ndarray]:
        """Network outputs for the valid crops -> ``keypoints`` ``(N, K, 2)`` float32 image pixels and ``scores``
        ``(N, K)`` float32 for all ``N`` boxes (rows of invalid boxes are zeros)."""
        if self.decode.in_graph:
            kpts, scores = np.asarray(outputs[0], np.float32), np.asarray(outputs[1], np.float32)
        elif len(outputs[0]) == 0:
            kpts, scores = self._empty_outputs(decoded=True)
        else:
            kpts, scores = simcc_decode(outputs[0], outputs[1], self.simcc_split_ratio)
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

    def _empty_outputs(self, decoded: bool | None = None) -> list[np.ndarray]:
        if decoded or (decoded is None and self.decode.in_graph):
            return [np.zeros((0, self.num_keypoints, 2), np.float32), np.zeros((0, self.num_keypoints), np.float32)]
        return [np.zeros((0, self.num_keypoints, 0), np.float32)] * 2

    def _check_outputs(self, outputs: Sequence[np.ndarray]) -> None:
        """Check the first outputs against ``decode`` and learn ``K`` (runtimes such as ncnn declare no shapes)."""
        first, second = outputs
        rank = (3, 2) if self.decode.in_graph else (3, 3)
        if (first.ndim, second.ndim) != rank or first.shape[:2] != second.shape[:2]:
            raise ValueError(f'{self.backend.source!r}: outputs {list(self.decode.output_names)} have shapes '
                             f'{first.shape} and {second.shape}, not ' +
                             ('keypoints (M, K, 2) and scores (M, K)' if self.decode.in_graph else
                              'SimCC (M, K, Wx) and (M, K, Wy)'))
        if not self.decode.in_graph:
            self._check_bins(first.shape[2])
        self.num_keypoints = int(first.shape[1])
        self._checked = True

    def _check_bins(self, bins_x: int) -> None:
        expected = self.simcc_split_ratio * self.input_size[0]
        if abs(bins_x - expected) > 0.5:
            raise ValueError(f'{self.backend.source!r}: simcc_x has {bins_x} bins, but input width '
                             f'{self.input_size[0]} x simcc_split_ratio {self.simcc_split_ratio} = {expected}')

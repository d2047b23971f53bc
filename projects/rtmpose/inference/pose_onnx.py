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

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .model_files import BatchRunner, OnnxRuntimeModel, providers_for_device, resolve_model
from .pose_base import DEFAULT_SPLIT_RATIO, PoseBatch, TopDownPoseModel, read_pose_sdk_meta

__all__ = ['PoseBatch', 'RTMPoseONNX']


class RTMPoseONNX(OnnxRuntimeModel, TopDownPoseModel):
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
        device: ``'cpu'`` (default) or ``'cuda'`` / ``'cuda:N'``; picks the execution provider unless
            ``providers`` is given.

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
                 providers: Sequence[Any] | None = None, allow_spinning: bool = False, device: str = 'cpu'):
        self.onnx_path, meta_dir = resolve_model(model, 'RTMPose')
        if meta is not None:
            meta_dir = Path(meta).expanduser()
            if not (meta_dir / 'pipeline.json').is_file():
                raise FileNotFoundError(f'RTMPose meta: no pipeline.json in {str(meta_dir)!r}; pass an MMDeploy SDK '
                                        f'folder (with pipeline.json) or leave meta=None and give the settings')
        self.meta_dir = meta_dir
        info = read_pose_sdk_meta(meta_dir) if meta_dir is not None else {}

        self.session = self._open_session('RTMPose', intra_op_threads=intra_op_threads,
                                          inter_op_threads=inter_op_threads,
                                          providers=providers or providers_for_device(device),
                                          allow_spinning=allow_spinning)
        inputs = self.session.get_inputs()
        if len(inputs) != 1 or len(inputs[0].shape) != 4:
            raise ValueError(f'{str(self.onnx_path)!r}: expected one (B, 3, h, w) input, got '
                             f'{[(i.name, i.shape) for i in inputs]}')
        self.runner = BatchRunner(self.session, max_batch_size)
        _, _, onnx_h, onnx_w = inputs[0].shape
        onnx_size = (onnx_w, onnx_h) if isinstance(onnx_w, int) and isinstance(onnx_h, int) else None
        self._configure(info, input_size, mean, std, to_rgb, padding, fallback_size=onnx_size)
        if onnx_size is not None and onnx_size != self.input_size:
            raise ValueError(f'{str(self.onnx_path)!r} takes {onnx_size[0]}x{onnx_size[1]} (w x h) input, but the '
                             f'input size is set to {self.input_size[0]}x{self.input_size[1]}')

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
        self.simcc_split_ratio = float(ratio)
        self._check_simcc_bins(bins_x, repr(str(self.onnx_path)))

    @property
    def static_batch(self) -> int | None:
        """The batch size fixed in the ONNX input shape, or ``None`` for a dynamic batch axis."""
        return self.runner.static_batch

    _read_meta = staticmethod(read_pose_sdk_meta)

    def infer(self, inputs: np.ndarray) -> list[np.ndarray]:
        """Run the network on ``(M, 3, h, w)`` inputs; returns the two outputs (``simcc_x``, ``simcc_y`` or
        ``keypoints``, ``scores``) for all ``M`` crops, in as few calls as the model's batch axis allows."""
        if len(inputs) == 0:
            return self._empty_outputs()
        parts: list[list[np.ndarray]] = [[], []]
        for _, outputs in self.runner.run(self.output_names, inputs):
            for part, out in zip(parts, outputs):
                part.append(out)
        return [part[0] if len(part) == 1 else np.concatenate(part) for part in parts]

"""ncnn backend: RTMPose and RTMDet from ``.param`` / ``.bin`` pairs (e.g. made by ``pnnx`` from the ONNX files).

- Pose: ``pnnx rtmpose.onnx inputshape=[1,3,256,192]`` writes ``rtmpose.ncnn.param/.bin`` with input blob ``in0``
  and outputs ``out0`` (``simcc_x``) and ``out1`` (``simcc_y``) in the ONNX output order; MMDeploy's own ncnn
  export names them ``input``, ``simcc_x``, ``simcc_y``. Both are recognised (see :func:`ncnn_blob_names`).
- Detector: ncnn has no NonMaxSuppression/TopK layers, so the MMDeploy RTMDet export (NMS in the graph) cannot be
  converted as is. :func:`rtmpose.inference.export.strip_detector_nms` cuts it before the NMS; the cut model
  outputs decoded boxes ``(N, 4)`` (input pixels) and sigmoid scores ``(N, C)``, and :class:`RTMDetNCNN` applies
  the score threshold and NMS here, as MMDeploy's graph would.

ncnn runs one image per call (it has no batch axis), so crops are run one after another.

``ncnn`` is imported when a model is loaded. Its OpenMP threads busy-wait by default; on a machine whose cores are
shared (other processes, or ONNX Runtime sessions in this one) that stalls a 2-thread inference for seconds, so
``OMP_WAIT_POLICY=PASSIVE`` is set before ncnn is first imported unless the environment already sets it.
"""
from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any, Sequence

import cv2
import numpy as np

from .detector import RTMDetBase, read_det_sdk_meta
from .frames import ensure_bgr
from .model_files import read_json
from .pose_base import DEFAULT_SPLIT_RATIO, TopDownPoseModel, read_pose_sdk_meta


def import_ncnn():
    """Import the ``ncnn`` Python package (passive OpenMP waiting unless the environment says otherwise)."""
    if 'ncnn' in sys.modules:
        if 'OMP_WAIT_POLICY' not in os.environ:
            warnings.warn('ncnn was imported before rtmpose could set OMP_WAIT_POLICY=PASSIVE: with several threads '
                          'on busy cores, ncnn inference may stall; set the variable before importing ncnn',
                          stacklevel=3)
    else:
        os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
    try:
        import ncnn
    except ImportError as err:
        raise ImportError('the ncnn backend needs the `ncnn` package: pip install ncnn') from err
    return ncnn


def resolve_ncnn_model(model: str | Path, what: str) -> tuple[Path, Path, Path | None]:
    """Find ``(param, bin, meta_dir)`` for an ncnn model given as a ``.param`` or ``.bin`` file (its partner has the
    same stem) or a folder (an MMDeploy SDK folder naming them in ``deploy.json``, or a folder holding exactly one
    ``.param`` file). ``meta_dir`` is the folder holding a ``pipeline.json``, if any.

    Raises:
        FileNotFoundError: a file is missing (the message says which and how to make it).
    """
    path = Path(model).expanduser()
    if not path.exists():
        raise FileNotFoundError(f'{what} ncnn model not found: {str(path)!r}. Pass the .param file (with its .bin '
                                f'next to it) made by pnnx, e.g. `pnnx model.onnx inputshape=[1,3,256,192]`.')
    if path.is_dir():
        folder = path
        names = None
        if (folder / 'deploy.json').is_file():
            try:
                entry = read_json(folder / 'deploy.json')['models'][0]
                names = (entry['net'], entry['weights'])
            except (KeyError, IndexError, TypeError):
                names = None
        if names is None or not str(names[0]).endswith('.param'):
            params = sorted(p.name for p in folder.glob('*.param') if not p.name.endswith('.pnnx.param'))
            if len(params) != 1:
                raise FileNotFoundError(f'{what}: expected one ncnn .param file in {str(folder)!r}, found {params}')
            names = (params[0], params[0][:-len('.param')] + '.bin')
        param, weights = folder / names[0], folder / names[1]
    else:
        folder = path.parent
        stem = path.name[:-len(path.suffix)] if path.suffix in ('.param', '.bin') else path.name
        if path.suffix not in ('.param', '.bin'):
            raise ValueError(f'{what}: {str(path)!r} is not an ncnn model (.param / .bin); for ONNX files use '
                             f'backend="onnxruntime"')
        param, weights = folder / f'{stem}.param', folder / f'{stem}.bin'
    for file in (param, weights):
        if not file.is_file():
            raise FileNotFoundError(f'{what}: ncnn file {str(file)!r} is missing (a .param needs its .bin)')
    meta_dir = folder if (folder / 'pipeline.json').is_file() else None
    return param, weights, meta_dir


def parse_ncnn_param(param: str | Path) -> dict[str, Any]:
    """Read the layer list of an ncnn ``.param`` (text format).

    Returns ``{'inputs': [(name, shape (c, h, w) or None)], 'outputs': [blob names]}``; outputs are the blobs that
    no layer consumes, in the order they are produced.

    Raises:
        ValueError: not a text ``.param`` file (wrong magic number or malformed lines).
    """
    lines = Path(param).read_text(encoding='utf-8', errors='replace').split('\n')
    if not lines or lines[0].strip() != '7767517':
        raise ValueError(f'{str(param)!r} is not an ncnn .param file (first line should be 7767517)')
    inputs: list[tuple[str, tuple[int, int, int] | None]] = []
    produced: list[str] = []
    consumed: set[str] = set()
    try:
        for line in lines[2:]:
            fields = line.split()
            if len(fields) < 4:
                continue
            layer_type, n_in, n_out = fields[0], int(fields[2]), int(fields[3])
            bottoms = fields[4:4 + n_in]
            tops = fields[4 + n_in:4 + n_in + n_out]
            consumed.update(bottoms)
            produced.extend(tops)
            if layer_type == 'Input':
                params = dict(item.split('=', 1) for item in fields[4 + n_in + n_out:] if '=' in item)
                shape = None
                if all(k in params for k in ('0', '1', '2')):
                    shape = (int(params['2']), int(params['1']), int(params['0']))
                inputs.append((tops[0], shape))
    except (ValueError, IndexError) as err:
        raise ValueError(f'{str(param)!r}: malformed ncnn .param line {line!r}') from err
    return {'inputs': inputs, 'outputs': [b for b in produced if b not in consumed]}


def ncnn_blob_names(param: str | Path, expected: Sequence[str]) -> tuple[str, list[str]]:
    """The input blob and the output blobs of ``param`` for the outputs ``expected`` (e.g. ``simcc_x``,
    ``simcc_y``): blobs of those names when present (MMDeploy), else pnnx's ``out0``, ``out1``... (ONNX order).

    Raises:
        ValueError: not exactly one input, or too few outputs.
    """
    info = parse_ncnn_param(param)
    if len(info['inputs']) != 1:
        raise ValueError(f'{str(param)!r}: expected one Input layer, found {[n for n, _ in info["inputs"]]}')
    outputs = info['outputs']
    if all(name in outputs for name in expected):
        return info['inputs'][0][0], list(expected)
    numbered = [f'out{i}' for i in range(len(expected))]
    if all(name in outputs for name in numbered):
        return info['inputs'][0][0], numbered
    if len(outputs) >= len(expected):
        return info['inputs'][0][0], outputs[:len(expected)]
    raise ValueError(f'{str(param)!r}: expected {len(expected)} outputs ({", ".join(expected)}), found {outputs}')


def nms_dets(boxes: np.ndarray, scores: np.ndarray, score_thr: float, nms_thr: float = 0.6, max_dets: int = 100,
             label: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """What MMDeploy's in-graph post-processing does, for a detector cut before it.

    Args:
        boxes: ``(N, 4)`` xyxy.
        scores: ``(N, C)`` class scores (or ``(N,)`` for one class).
        score_thr: boxes whose best class scores below it are dropped first (they could only suppress boxes that
            score even lower, so the kept boxes are the same as thresholding after the NMS).
        nms_thr: IoU above which the lower-scoring box of the same class is suppressed.
        max_dets: at most this many boxes, highest scores first.
        label: keep only this class (``None``: all).

    Returns:
        ``dets`` ``(M, 5)`` float32 (``x1, y1, x2, y2, score``) and ``labels`` ``(M,)`` int64.
    """
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
    if len(boxes) == 0:
        return np.zeros((0, 5), np.float32), np.zeros(0, np.int64)
    scores = np.asarray(scores, np.float32).reshape(len(boxes), -1)
    labels = scores.argmax(axis=1)
    best = scores[np.arange(len(boxes)), labels]
    keep = np.flatnonzero(np.isfinite(best) & (best >= score_thr) & np.isfinite(boxes).all(axis=1))
    if label is not None:
        keep = keep[labels[keep] == label]
    boxes, best, labels = boxes[keep], best[keep], labels[keep]
    if len(boxes) == 0:
        return np.zeros((0, 5), np.float32), np.zeros(0, np.int64)
    xywh = np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], axis=1)
    # class-aware NMS: shift each class far away from the others (MMCV's batched_nms trick)
    xywh[:, :2] += labels[:, None].astype(np.float32) * (float(np.abs(boxes).max()) * 2 + 1.0)
    ranks = (best - best.min() + 1.0).tolist()  # >= 1, same order: OpenCV keeps scores strictly above 0.5
    kept = cv2.dnn.NMSBoxes(xywh.tolist(), ranks, 0.5, float(nms_thr), top_k=int(max_dets))
    kept = np.asarray(kept, np.int64).reshape(-1)[:max_dets]
    return np.concatenate([boxes[kept], best[kept, None]], axis=1).astype(np.float32), labels[kept].astype(np.int64)


class NCNNNet:
    """An ``ncnn.Net`` loaded from a ``.param/.bin`` pair, run one ``(C, H, W)`` input at a time."""

    def __init__(self, param: Path, weights: Path, what: str, num_threads: int | None = None, device: str = 'cpu',
                 use_fp16: bool | None = None):
        ncnn = import_ncnn()
        self.param, self.weights = Path(param), Path(weights)
        self.net = ncnn.Net()
        opt = self.net.opt
        device = (device or 'cpu').lower()
        if device in ('vulkan', 'gpu') or device.startswith(('vulkan:', 'gpu:')):
            if not hasattr(ncnn, 'get_gpu_count') or ncnn.get_gpu_count() == 0:
                raise ValueError(f'device {device!r}: ncnn sees no Vulkan GPU; use device="cpu"')
            opt.use_vulkan_compute = True
        elif device != 'cpu':
            raise ValueError(f'unknown device {device!r} for ncnn; use "cpu" or "vulkan"')
        else:
            opt.use_vulkan_compute = False
        opt.num_threads = int(num_threads) if num_threads else max(1, ncnn.get_physical_cpu_count())
        if use_fp16 is not None:
            opt.use_fp16_storage = opt.use_fp16_packed = opt.use_fp16_arithmetic = bool(use_fp16)
        if self.net.load_param(str(self.param)) != 0:
            raise ValueError(f'{what}: ncnn could not load {str(self.param)!r} as a .param file')
        if self.net.load_model(str(self.weights)) != 0:
            raise ValueError(f'{what}: ncnn could not load the weights {str(self.weights)!r} (does it belong to '
                             f'{self.param.name}?)')
        self._ncnn = ncnn

    def __call__(self, input_name: str, data: np.ndarray, output_names: Sequence[str]) -> list[np.ndarray]:
        """Run one ``(C, H, W)`` float32 input; returns the named outputs as float32 arrays (a copy each)."""
        with self.net.create_extractor() as extractor:
            extractor.input(input_name, self._ncnn.Mat(np.ascontiguousarray(data, dtype=np.float32)))
            outputs = []
            for name in output_names:
                ret, mat = extractor.extract(name)
                if ret != 0:
                    raise RuntimeError(f'ncnn failed to compute blob {name!r} of {self.param.name} (error {ret})')
                outputs.append(np.array(mat, dtype=np.float32, copy=True))
        return outputs


class RTMPoseNCNN(TopDownPoseModel):
    """RTMPose on ncnn.

    Args:
        model: the ``.param`` file (its ``.bin`` next to it), the ``.bin``, or a folder holding them (an MMDeploy
            ncnn SDK folder, or a folder with one ``.param``).
        meta: MMDeploy SDK folder with the ``pipeline.json`` (e.g. ``rtmpose-m-sdk-meta``); default: the model's
            folder when it holds one.
        input_size, mean, std, to_rgb, padding, simcc_split_ratio: as :class:`~rtmpose.inference.RTMPoseONNX`;
            the ``.param`` of pnnx declares no input size, so without a meta it is 192x256 unless given.
        num_keypoints: ``K`` for empty results before the first inference (default 17).
        num_threads: ncnn threads (default: the physical cores).
        device: ``'cpu'`` or ``'vulkan'``.
        use_fp16: force fp16 storage/arithmetic on or off (default: ncnn's choice for the CPU).
        input_name, output_names: blob names, default found by :func:`ncnn_blob_names`.
    """

    backend = 'ncnn'

    def __init__(self, model: str | Path, meta: str | Path | None = None, input_size: Sequence[int] | None = None,
                 mean: Sequence[float] | None = None, std: Sequence[float] | None = None,
                 to_rgb: bool | None = None, padding: float | None = None, simcc_split_ratio: float | None = None,
                 num_keypoints: int | None = None, num_threads: int | None = None, device: str = 'cpu',
                 use_fp16: bool | None = None, input_name: str | None = None,
                 output_names: Sequence[str] | None = None):
        self.param_path, self.bin_path, meta_dir = resolve_ncnn_model(model, 'RTMPose')
        if meta is not None:
            meta_dir = Path(meta).expanduser()
            if not (meta_dir / 'pipeline.json').is_file():
                raise FileNotFoundError(f'RTMPose meta: no pipeline.json in {str(meta_dir)!r}')
        self.meta_dir = meta_dir
        info = read_pose_sdk_meta(meta_dir) if meta_dir is not None else {}
        found_input, found_outputs = ncnn_blob_names(self.param_path, ('simcc_x', 'simcc_y'))
        self.input_name = input_name or found_input
        self.output_names = list(output_names or found_outputs)
        declared = dict(parse_ncnn_param(self.param_path)['inputs']).get(self.input_name)
        fallback = (declared[2], declared[1]) if declared else None
        self._configure(info, input_size, mean, std, to_rgb, padding, fallback_size=fallback)
        self.mode = 'simcc'
        self.num_keypoints = int(num_keypoints or 17)
        self.simcc_split_ratio = float(simcc_split_ratio or info.get('simcc_split_ratio') or DEFAULT_SPLIT_RATIO)
        self.net = NCNNNet(self.param_path, self.bin_path, 'RTMPose', num_threads, device, use_fp16)
        self._checked = False

    def infer(self, inputs: np.ndarray) -> list[np.ndarray]:
        """Run the crops ``(M, 3, h, w)`` one by one; returns ``simcc_x (M, K, Wx)``, ``simcc_y (M, K, Wy)``."""
        if len(inputs) == 0:
            return self._empty_outputs()
        results = [self.net(self.input_name, crop, self.output_names) for crop in inputs]
        simcc_x = np.stack([r[0].reshape(r[0].shape[-2:]) if r[0].ndim > 2 else r[0] for r in results])
        simcc_y = np.stack([r[1].reshape(r[1].shape[-2:]) if r[1].ndim > 2 else r[1] for r in results])
        if not self._checked:
            if simcc_x.ndim != 3 or simcc_y.shape[:2] != simcc_x.shape[:2]:
                raise ValueError(f'{str(self.param_path)!r}: outputs {self.output_names} have shapes '
                                 f'{simcc_x.shape[1:]} and {simcc_y.shape[1:]}, not SimCC (K, Wx) and (K, Wy)')
            self._check_simcc_bins(int(simcc_x.shape[2]), repr(str(self.param_path)))
            self.num_keypoints = int(simcc_x.shape[1])
            self._checked = True
        return [simcc_x, simcc_y]


class RTMDetNCNN(RTMDetBase):
    """RTMDet on ncnn, from a model cut before its NMS (see the module docstring).

    Args:
        model: ``.param`` / ``.bin`` / folder, as :class:`RTMPoseNCNN`. Outputs: boxes ``(N, 4)`` xyxy in input
            pixels and scores ``(N, C)`` (after the sigmoid); pnnx names them ``out0``, ``out1``.
        meta: MMDeploy SDK folder of the detector (``pipeline.json`` gives the preprocessing); default: the model's
            folder when it holds one, else RTMDet-nano's settings.
        score_thr, person_label, input_size, mean, std, to_rgb, pad_val, min_bbox_size: as
            :class:`~rtmpose.inference.RTMDetONNX`.
        nms_thr: IoU threshold of the NMS (RTMDet's test config: 0.6).
        max_dets: keep at most this many boxes (RTMDet: 100).
        num_threads, device, use_fp16: as :class:`RTMPoseNCNN`.
    """

    backend = 'ncnn'

    def __init__(self, model: str | Path, meta: str | Path | None = None, score_thr: float = 0.3,
                 person_label: int | None = 0, input_size: Sequence[int] | None = None,
                 mean: Sequence[float] | None = None, std: Sequence[float] | None = None,
                 to_rgb: bool | None = None, pad_val: float | None = None, min_bbox_size: float = 1.0,
                 nms_thr: float = 0.6, max_dets: int = 100, num_threads: int | None = None, device: str = 'cpu',
                 use_fp16: bool | None = None):
        self.param_path, self.bin_path, meta_dir = resolve_ncnn_model(model, 'RTMDet detector')
        if meta is not None:
            meta_dir = Path(meta).expanduser()
        self.meta_dir = meta_dir
        info = read_det_sdk_meta(meta_dir) if meta_dir is not None else {}
        self._configure(info, score_thr, person_label, input_size, mean, std, to_rgb, pad_val, min_bbox_size)
        self.nms_thr = float(nms_thr)
        self.max_dets = int(max_dets)
        self.input_name, self.output_names = ncnn_blob_names(self.param_path, ('boxes', 'scores'))
        self.net = NCNNNet(self.param_path, self.bin_path, 'RTMDet detector', num_threads, device, use_fp16)

    def raw_to_dets(self, boxes: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Boxes ``(N, 4)`` and class scores ``(N, C)`` -> ``dets (M, 5)``, ``labels (M,)`` (see :func:`nms_dets`)."""
        return nms_dets(boxes, scores, self.score_thr, self.nms_thr, self.max_dets, self.person_label)

    def detect_batch(self, images: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Detect in each image (one ncnn call per image)."""
        results = []
        for image in images:
            image = ensure_bgr(image)
            if image.shape[0] == 0 or image.shape[1] == 0:
                results.append(self._empty())
                continue
            data, scale = self.preprocess(image)
            boxes, scores = self.net(self.input_name, data, self.output_names)
            dets, labels = self.raw_to_dets(boxes, scores)
            results.append(self.postprocess(dets, labels, scale, image.shape))
        return results

"""PyTorch backend: RTMPose (MMPose config + checkpoint) and an MMDetection detector (config + checkpoint).

The pose model is built with ``mmpose.apis.init_model`` and run on the same batched, normalised crops as the other
backends (``model.head(model.extract_feat(crops))``, no flip test, as deployed), so its keypoints are decoded the
same way. torch and OpenMMLab are imported when a model is created, never by ``import rtmpose.inference``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .detector import RTMDetBase
from .frames import ensure_bgr
from .pose_base import DEFAULT_SPLIT_RATIO, TopDownPoseModel


def _check_config(config: str | Path, what: str) -> Path:
    path = Path(config).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f'{what} config not found: {str(path)!r} (the torch backend takes an OpenMMLab '
                                f'config .py and, optionally, a checkpoint .pth)')
    return path


def _check_checkpoint(checkpoint: str | Path | None, what: str) -> str | None:
    if checkpoint is None:
        return None
    path = Path(checkpoint).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f'{what} checkpoint not found: {str(path)!r}')
    return str(path)


def _set_threads(num_threads: int | None) -> None:
    if num_threads:
        import torch
        torch.set_num_threads(int(num_threads))


def _pipeline_padding(cfg: Any, default: float = 1.25) -> float:
    """``padding`` of ``GetBBoxCenterScale`` in the config's test pipeline (MMPose's default 1.25)."""
    try:
        pipeline = cfg.test_dataloader.dataset.pipeline
    except AttributeError:
        return default
    for step in pipeline:
        if step.get('type') in ('GetBBoxCenterScale', 'TopDownGetBboxCenterScale'):
            return float(step.get('padding', default))
    return default


class RTMPoseTorch(TopDownPoseModel):
    """RTMPose in PyTorch from an MMPose config (e.g. ``configs/rtmpose-m_coco.py``) and a checkpoint.

    Input size and SimCC split ratio come from the head's codec, mean/std/channel order from the model's data
    preprocessor, the box padding from the test pipeline; explicit arguments override them.

    Args:
        config: MMPose config file (our configs build in the ``rtmpose`` scope).
        checkpoint: ``.pth`` weights; ``None`` keeps the random initialisation (for tests).
        device: torch device (``'cpu'``, ``'cuda'``, ``'cuda:1'``...).
        num_threads: ``torch.set_num_threads`` (process-wide), default: torch's.
        padding, input_size, mean, std, to_rgb, simcc_split_ratio: overrides.
    """

    backend = 'torch'

    def __init__(self, config: str | Path, checkpoint: str | Path | None = None, device: str = 'cpu',
                 num_threads: int | None = None, padding: float | None = None,
                 input_size: Sequence[int] | None = None, mean: Sequence[float] | None = None,
                 std: Sequence[float] | None = None, to_rgb: bool | None = None,
                 simcc_split_ratio: float | None = None):
        import torch
        from mmpose.apis import init_model

        self.config_path = _check_config(config, 'RTMPose')
        self.checkpoint = _check_checkpoint(checkpoint, 'RTMPose')
        _set_threads(num_threads)
        self.device = torch.device(device)
        self.model = init_model(str(self.config_path), self.checkpoint, device=str(self.device))
        head = self.model.head
        decoder = getattr(head, 'decoder', None)
        info: dict[str, Any] = {'padding': _pipeline_padding(self.model.cfg)}
        if decoder is not None and hasattr(decoder, 'input_size'):
            info['input_size'] = tuple(decoder.input_size)
        preprocessor = getattr(self.model, 'data_preprocessor', None)
        if preprocessor is not None and getattr(preprocessor, '_enable_normalize', False):
            info['mean'] = preprocessor.mean.flatten().tolist()
            info['std'] = preprocessor.std.flatten().tolist()
            info['to_rgb'] = bool(getattr(preprocessor, '_channel_conversion', False))
        self._configure(info, input_size, mean, std, to_rgb, padding)
        self.mode = 'simcc'
        self.num_keypoints = int(getattr(head, 'out_channels', 17))
        self.simcc_split_ratio = float(simcc_split_ratio or getattr(decoder, 'simcc_split_ratio', None)
                                       or DEFAULT_SPLIT_RATIO)
        self._torch = torch

    def infer(self, inputs: np.ndarray) -> list[np.ndarray]:
        """``model.head(model.extract_feat(crops))`` on all crops at once -> ``simcc_x``, ``simcc_y`` (numpy)."""
        if len(inputs) == 0:
            return self._empty_outputs()
        torch = self._torch
        with torch.inference_mode():
            batch = torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32)).to(self.device)
            outputs = self.model.head(self.model.extract_feat(batch))
        if not isinstance(outputs, (tuple, list)) or len(outputs) != 2:
            raise ValueError(f'{self.config_path}: the head returned {type(outputs).__name__}, not the SimCC pair '
                             f'(pred_x, pred_y) of an RTMCCHead')
        return [out.float().cpu().numpy() for out in outputs]


class RTMDetTorch(RTMDetBase):
    """An MMDetection detector in PyTorch (``mmdet.apis.init_detector`` + ``inference_detector``).

    MMDetection's own test pipeline preprocesses the image (from the config), so :meth:`preprocess` of the base
    class is not used; boxes are filtered, clipped and sorted as the other backends do.

    Args:
        config: MMDetection config, e.g. MMPose's ``demo/mmdetection_cfg/rtmdet_nano_320-8xb32_coco-person.py``.
        checkpoint: ``.pth`` weights; ``None`` leaves the model random (tests only).
        device: torch device.
        score_thr, person_label, min_bbox_size: as :class:`~rtmpose.inference.RTMDetONNX`.
        num_threads: ``torch.set_num_threads`` (process-wide).
    """

    backend = 'torch'

    def __init__(self, config: str | Path, checkpoint: str | Path | None = None, device: str = 'cpu',
                 score_thr: float = 0.3, person_label: int | None = 0, min_bbox_size: float = 1.0,
                 num_threads: int | None = None):
        import warnings

        from mmdet.apis import init_detector

        self.config_path = _check_config(config, 'RTMDet detector')
        self.checkpoint = _check_checkpoint(checkpoint, 'RTMDet detector')
        _set_threads(num_threads)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # "checkpoint is None, use COCO classes by default"
            self.model = init_detector(str(self.config_path), self.checkpoint, device=device)
        self._configure({}, score_thr, person_label, None, None, None, None, None, min_bbox_size)

    def detect_batch(self, images: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Detect in each image with MMDetection's ``inference_detector``."""
        from mmdet.apis import inference_detector

        results: list[tuple[np.ndarray, np.ndarray]] = []
        for image in images:
            image = ensure_bgr(image)
            if image.shape[0] == 0 or image.shape[1] == 0:
                results.append(self._empty())
                continue
            pred = inference_detector(self.model, image).pred_instances
            dets = np.concatenate([pred.bboxes.cpu().numpy().reshape(-1, 4),
                                   pred.scores.cpu().numpy().reshape(-1, 1)], axis=1)
            labels = pred.labels.cpu().numpy()
            results.append(self.postprocess(dets, labels, np.ones(4, np.float32), image.shape))
        return results

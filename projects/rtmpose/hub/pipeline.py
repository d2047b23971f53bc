"""A detector and a pose model opened together: the one rule for which backend each runs on
(:func:`pair_backends`, used by the CLI, the web demo and :func:`build_tracker`), and the tracker built from names.

>>> tracker = build_tracker('rtmpose-m-wholebody')  # downloads, caches, picks the default detector
>>> pair_backends('rtmpose-t.param', 'rtmdet-nano/', backend='ncnn')  # ncnn for the pose model, onnxruntime (warned)
"""
from __future__ import annotations

import warnings
from pathlib import Path

from ..backends import BACKENDS, backend_name
from ..inference.tracker import PoseTracker, TrackerConfig
from .build import build_detector, build_pose_model, model_backends, normalize_backend
from .model_zoo import default_detector, is_model_name


def pair_backends(pose: str | Path, det: str | Path, backend: str | None = None,
                  det_backend: str | None = None) -> tuple[str, str]:
    """``(pose backend, detector backend)`` for a pose model and a detector (model names, files or folders).

    The pose model runs on ``backend``, else on the backend its file is for (the default one for a model name).
    The detector runs on ``det_backend`` if given; else on the ``backend`` asked for the pose model where the detector
    runs on it (an ONNX detector on ``onnxruntime`` and ``openvino``; a named one where the model table has its files
    for it); else on the backend its own file is for, with a warning saying so.

    Raises:
        ValueError: an unknown backend, or a model that cannot run on the backend asked for it (the message says how
            to get one that can).
    """
    pose_backend = _backend(pose, backend)
    if det_backend is not None:
        return pose_backend, _backend(det, det_backend)
    own = _backend(det, None)
    if backend is None or pose_backend == own:
        return pose_backend, own
    if pose_backend in model_backends(det):
        return pose_backend, pose_backend
    warnings.warn(f'the detector {det} cannot run on {pose_backend}, which runs the pose model; it runs on {own}, '
                  f'the backend it is for', stacklevel=2)
    return pose_backend, own


def _backend(model: str | Path, backend: str | None) -> str:
    """The backend ``model`` runs on: ``backend`` (checked against a file), else the one its file is for (the
    default one for a model name; the model table says later whether it has files for it)."""
    if is_model_name(model):
        return backend_name(backend) if backend else BACKENDS[0]
    return normalize_backend(backend, model)


def build_tracker(pose: str | Path, det: str | Path | None = None, backend: str | None = None,
                  device: str = 'cpu', threads: int | None = None, det_backend: str | None = None,
                  config: TrackerConfig | None = None) -> PoseTracker:
    """A :class:`~rtmpose.inference.PoseTracker` on models given by name (:mod:`.model_zoo`, downloaded and cached)
    or path, their backends paired by :func:`pair_backends`.

    Args:
        pose: pose model name (``'rtmpose-m'``, ``'rtmpose-m-wholebody'``...) or file.
        det: detector name or file; default: the pose model's default detector in the model table.
        backend, device, threads: as :func:`~.build.build_pose_model` (both models).
        det_backend: the detector's backend (default: see :func:`pair_backends`).
        config: the tracker's settings (default: :class:`~rtmpose.inference.TrackerConfig`'s).
    """
    if det is None:
        det = default_detector(pose)
    pose_backend, det_backend = pair_backends(pose, det, backend, det_backend)
    pose_model = build_pose_model(pose, pose_backend, device, threads)
    detector = build_detector(det, det_backend, device, threads)
    return PoseTracker(detector, pose_model, config or TrackerConfig())

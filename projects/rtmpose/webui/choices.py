"""The models the web demo offers, built on first use and kept: one detector + pose model per (pose, backend)."""
from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..backends import BACKENDS, backend_facts
from ..hub import build_detector, build_pose_model, pair_backends


def zoo_pose_names() -> list[str]:
    """The pose model names of :mod:`rtmpose.hub.model_zoo` (downloaded when chosen)."""
    from ..hub.model_zoo import model_names
    return model_names('pose')


class ModelChoices:
    """The pose models and backends the page offers, and the pipelines built for them.

    Args:
        poses: the pose models: names of the model table or files (a file is listed by its name).
        det: the detector (file or name); ``None``: each named pose model's default detector.
        device, threads: as :func:`~rtmpose.hub.build_pose_model`.
    """

    def __init__(self, poses: Sequence[str], det: str | None = None, device: str = 'cpu',
                 threads: int | None = None) -> None:
        self.poses = {self._label(model): str(model) for model in poses}
        self.det, self.device, self.threads = det, device, threads
        self._built: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.lock = threading.Lock()  # one inference at a time: the webcam and the upload worker share models

    @staticmethod
    def _label(model: str) -> str:
        path = Path(model)
        if not path.exists():
            return model
        return f'{path.parent.name}/{path.name}' if path.name in ('end2end.onnx', '') else path.name

    def options(self) -> dict[str, list[str]]:
        """``{'poses': [...], 'backends': [...]}`` for the page's selectors."""
        on_gpu = self.device.startswith('cuda')
        return {'poses': list(self.poses), 'backends': [b for b in BACKENDS if on_gpu or not backend_facts(b).gpu_only]}

    def pipeline(self, pose: str, backend: str | None) -> tuple[Any, Any]:
        """``(detector, pose model)`` for a pose label and a backend (``None``/``''``: the file's own), built once;
        the detector's backend is paired with it by :func:`~rtmpose.hub.pair_backends`.

        Raises:
            ValueError: an unknown label or backend, or a model the backend cannot run (the message says why).
        """
        if pose not in self.poses:
            raise ValueError(f'unknown pose model {pose!r}; choose one of {", ".join(self.poses)}')
        key = (pose, backend or '')
        with self.lock:
            if key not in self._built:
                self._built[key] = self._build(self.poses[pose], backend or None)
            return self._built[key]

    def _build(self, pose: str, backend: str | None) -> tuple[Any, Any]:
        det = self.det
        if det is None:
            from ..hub.model_zoo import default_detector
            det = default_detector(pose)
        pose_backend, det_backend = pair_backends(pose, det, backend)
        pose_model = build_pose_model(pose, pose_backend, self.device, self.threads)
        return build_detector(det, det_backend, self.device, self.threads), pose_model

"""The models the web demo offers, built on first use and kept: one detector + pose model per (pose, runtime)."""
from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..backends import BACKENDS
from ..hub import build_detector, build_pose_model, guess_backend, normalize_backend


def zoo_pose_names() -> list[str]:
    """The pose model names of :mod:`rtmpose.hub.model_zoo` (downloaded when chosen)."""
    from ..hub.model_zoo import model_names
    return model_names('pose')


class ModelChoices:
    """The pose models and runtimes the page offers, and the pipelines built for them.

    Args:
        poses: the pose models: names of the model table or files (a file is listed by its name).
        det: the detector (file or name); ``None``: each named pose model's default detector.
        device, threads: as :func:`~rtmpose.inference.build_pose_model`.
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
        return {'poses': list(self.poses), 'backends': [b for b in BACKENDS if b != 'tensorrt' or
                                                        self.device.startswith('cuda')]}

    def pipeline(self, pose: str, backend: str | None) -> tuple[Any, Any]:
        """``(detector, pose model)`` for a pose label and a runtime (``None``/``''``: the file's own), built once.

        Raises:
            ValueError: an unknown label or runtime, or a model the runtime cannot run (the message says why).
        """
        if pose not in self.poses:
            raise ValueError(f'unknown pose model {pose!r}; choose one of {", ".join(self.poses)}')
        key = (pose, backend or '')
        with self.lock:
            if key not in self._built:
                self._built[key] = self._build(self.poses[pose], backend or None)
            return self._built[key]

    def _build(self, pose: str, backend: str | None) -> tuple[Any, Any]:
        if backend is not None and backend not in BACKENDS:
            raise ValueError(f'unknown runtime {backend!r}; choose one of {", ".join(BACKENDS)}')
        det = self.det
        if det is None:
            from ..hub.model_zoo import default_detector
            det = default_detector(pose)
        pose_model = build_pose_model(pose, backend, self.device, self.threads)
        try:  # the pose runtime where the detector file runs on it, else the detector's own
            det_backend = normalize_backend(pose_model.backend.name, det)
        except ValueError:
            det_backend = guess_backend(det)
        return build_detector(det, det_backend, self.device, self.threads), pose_model

"""The timed methods and how they are timed.

A method runs one frame at a time and keeps its own state (tracks) from frame to frame; it times the stages of the
tracker (:data:`rtmpose.inference.tracker.STAGES`) with a :class:`~rtmpose.inference.stage_timer.StageTimer`:
``detect`` (pre + network + post), ``crop`` (boxes -> normalised crops), ``pose`` (network), ``decode`` (SimCC ->
image keypoints), ``nms``, ``track``, ``smooth`` (a peer fills those it has).

Timing is interleaved (:func:`rtmpose.deploy.timing.interleaved_times`): the frames are cut into chunks and every
method runs each chunk in turn, the order rotating from chunk to chunk, so that load from other processes on the
machine hits all methods alike.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from rtmpose.deploy.timing import interleaved_times
from rtmpose.inference.stage_timer import StageTimer

from .measures import jitter
from .workload import DET_DIR


class Method(Protocol):
    timer: StageTimer
    persons: int

    def run(self, frame: np.ndarray) -> None:
        """Process the next frame."""

    def reset(self) -> None:
        """Forget the state, the stage times and the counts (the models stay loaded)."""

    def extra_results(self) -> dict:
        """Method-specific results for the report."""


class OurPipeline:
    """Our :class:`~rtmpose.inference.PoseTracker` on ``backend`` (RTMDet-nano + the pose model ``pose_path``),
    ``threads`` threads per model; ``precision`` is OpenVINO's; ``keypoint_set``: the pose model's keypoints (a
    dataset name such as ``'coco_wholebody'``; default COCO-17); ``max_batch_size``: the most crops per pose network
    call (default: all crops of a frame in one call)."""

    def __init__(self, pose_path: Path, threads: int, det_interval: int, backend: str = 'onnxruntime',
                 precision: str | None = None, keypoint_set: str | None = None, max_batch_size: int | None = None):
        from rtmpose.hub import build_detector, build_pose_model
        from rtmpose.inference import PoseTracker, TrackerConfig

        options = {'precision': precision} if precision else {}
        batch = {'max_batch_size': max_batch_size} if max_batch_size else {}
        self.tracker = PoseTracker(build_detector(DET_DIR, backend, threads=threads, **options),
                                   build_pose_model(pose_path, backend, threads=threads, metainfo=keypoint_set,
                                                    **options, **batch),
                                   TrackerConfig(det_interval=det_interval))
        self.timer = self.tracker.timer
        self.reset()

    def reset(self) -> None:
        self.tracker.reset()
        self.persons = 0
        self.results: list = []

    def run(self, frame: np.ndarray) -> None:
        people = self.tracker(frame)
        self.persons += len(people)
        self.results.append(people)

    def extra_results(self) -> dict:
        raw, smooth = jitter(self.results, False), jitter(self.results, True)
        return {'detector_frames': self.tracker.det_frames,
                'jitter_px': {'raw': raw, 'smoothed': smooth, 'reduction_pct': 100 * (1 - smooth / raw)}}


def _chunk_runner(method: Method, chunks: Sequence[Sequence[np.ndarray]]) -> Callable[[], None]:
    """A callable that runs ``method`` on the next chunk each time it is called."""
    remaining = iter(chunks)

    def run_next_chunk() -> None:
        for frame in next(remaining):
            method.run(frame)

    return run_next_chunk


def time_methods(methods: dict[str, Method], frames: list[np.ndarray], chunk: int) -> dict[str, float]:
    """Seconds each method takes for all ``frames``, run interleaved in chunks of ``chunk`` frames after one
    untimed warm-up call each (ONNX Runtime's first run allocates), from a fresh state."""
    for method in methods.values():
        method.run(frames[-1])
        method.reset()
    chunks = [frames[start:start + chunk] for start in range(0, len(frames), chunk)]
    times = interleaved_times({name: _chunk_runner(method, chunks) for name, method in methods.items()},
                              rounds=len(chunks), warmup=0)
    return {name: sum(ms) / 1000 for name, ms in times.items()}


def method_results(method: Method, seconds: float, frames: int) -> dict:
    """FPS, ms per frame (all and by stage) and persons per frame of a timed method."""
    return {'fps': frames / seconds, 'ms_per_frame': 1000 * seconds / frames,
            'stage_ms_per_frame': {s: 1000 * method.timer.totals[s] / frames for s in method.timer.stages},
            'persons_per_frame': method.persons / frames, **method.extra_results()}

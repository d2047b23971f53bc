"""Uploads run as jobs, one at a time in a worker thread, each with its progress, timing, overlay and JSON.

A job's files live in its own folder: the upload, ``results.json`` (COCO results, as the CLI writes them) and the
overlay (``<name>.mp4`` in H.264 for a video, the image for an image). Frames go through the applications' one
frame loop (:class:`~rtmpose.media.frame_loop.FrameLoop`), so a job ends as the CLI does: a bad upload (not an image
or a video, an empty or zero-frame video) or a failure part-way is the job's error; a video cut short is done with
a warning (the frames read are kept). The worker goes on with the next job; :meth:`JobQueue.shutdown` stops the job
in hand after its frame, closing its overlay and results, before the server exits.
"""
from __future__ import annotations

import queue
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..inference import PoseTracker, TrackerConfig
from ..media.frame_loop import FrameLoop, FrameOutput, LoopSummary, StopRequest
from ..media.overlay_sink import OverlaySink
from ..media.results_io import IncrementalResults
from ..media.sources import FrameSource, InputError
from .choices import ModelChoices

#: Seconds between two refreshes of a running job's preview image.
PREVIEW_EVERY = 0.3


@dataclass
class JobRequest:
    """What the page asked for: the pose model label, the runtime (``''``: the file's own), the detector
    interval and a frame limit."""

    pose: str
    backend: str = ''
    det_interval: int = 1
    max_frames: int | None = None


@dataclass
class Job:
    """One upload and its state (``queued``, ``running``, ``done`` or ``error``).

    Attributes:
        counts: people per processed frame.
        best_frame: index of the frame with the most people, which :attr:`preview` shows once the job ended.
        warning: a problem that did not stop the job (a video cut short).
    """

    id: str
    folder: Path
    upload: Path
    request: JobRequest
    state: str = 'queued'
    done: int = 0
    total: int | None = None
    kind: str = ''
    people: int = 0
    counts: list[int] = field(default_factory=list)
    best_frame: int | None = None
    error: str | None = None
    warning: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    preview: bytes | None = None  # PNG of the latest overlay frame, then of the best one
    preview_at: float = 0.0  # time.monotonic() of the last preview
    results: Path | None = None
    overlay: Path | None = None

    def status(self) -> dict[str, Any]:
        """The job as the page polls it."""
        return {'id': self.id, 'state': self.state, 'done': self.done, 'total': self.total, 'kind': self.kind,
                'people': self.people, 'counts': self.counts, 'best_frame': self.best_frame, 'error': self.error,
                'warning': self.warning, 'timings_ms': self.timings_ms, 'has_preview': self.preview is not None,
                'results': self.results is not None,
                'video': self.overlay is not None and self.overlay.suffix == '.mp4'}


def safe_name(filename: str) -> str:
    """An upload's file name reduced to ``[A-Za-z0-9._-]`` (its extension decides image or video)."""
    name = re.sub(r'[^A-Za-z0-9._-]', '_', Path(filename or 'upload').name).lstrip('.')
    return name[-100:] or 'upload'


class JobQueue:
    """Runs jobs in submission order in one worker thread.

    Args:
        root: folder for the jobs' folders.
        choices: the models.
        max_frames: frames processed at most per upload (``None``: all).
    """

    def __init__(self, root: Path, choices: ModelChoices, max_frames: int | None = None) -> None:
        self.root, self.choices, self.max_frames = Path(root), choices, max_frames
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._stop = StopRequest()
        self._worker = threading.Thread(target=self._work, name='webui-jobs')
        self._worker.start()

    def submit(self, data: bytes, filename: str, request: JobRequest) -> Job:
        """Store an upload and queue its job (``RuntimeError`` once the server is stopping)."""
        if self._stop.reason is not None:
            raise RuntimeError(f'{self._stop.reason}: no new jobs')
        job_id = uuid.uuid4().hex[:12]
        folder = self.root / job_id
        folder.mkdir(parents=True)
        upload = folder / safe_name(filename)
        upload.write_bytes(data)
        if self.max_frames is not None:
            request.max_frames = min(request.max_frames or self.max_frames, self.max_frames)
        job = Job(job_id, folder, upload, request)
        self.jobs[job_id] = job
        self._queue.put(job)
        return job

    def shutdown(self, reason: str = 'the server was stopped') -> None:
        """Stop the running job after its frame in hand (its overlay and results are closed and kept), end the
        queued ones with ``reason`` and wait for the worker."""
        self._stop.request(reason)
        self._queue.put(None)
        self._worker.join()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._stop.reason is not None:
                job.error, job.state = f'{self._stop.reason} before this job ran', 'error'
                continue
            job.state = 'running'
            try:
                self._run(job)
                job.state = 'done'
            except (InputError, ValueError, FileNotFoundError, RuntimeError, OSError) as err:
                job.error, job.state = self._message(job, str(err)), 'error'
            except Exception as err:  # noqa: BLE001 - any failure is the job's, the server goes on
                job.error, job.state = self._message(job, f'{type(err).__name__}: {err}'), 'error'

    @staticmethod
    def _message(job: Job, message: str) -> str:
        """``message`` with the job's server-side paths replaced by the upload's name (the user's file)."""
        return message.replace(str(job.upload), job.upload.name).replace(f'{job.folder}/', '')

    def _run(self, job: Job) -> None:
        request = job.request
        source = FrameSource(str(job.upload), request.max_frames)
        try:
            if source.kind not in ('image', 'video'):
                raise InputError(f'{job.upload.name}: upload an image or a video file')
            job.kind, job.total = source.kind, source.total
            detector, pose = self.choices.pipeline(request.pose, request.backend)
            tracker = PoseTracker(detector, pose, TrackerConfig(det_interval=request.det_interval, fps=source.fps))
        except Exception:
            source.release()
            raise
        results = IncrementalResults(job.folder / 'results.json')
        sink = OverlaySink(source, job.folder / 'overlay')
        loop = FrameLoop(tracker, results, sink, lock=self.choices.lock)
        summary = loop.run(source, self._stop, on_frame=partial(self._progress, job, tracker))
        self._finish(job, summary, results, sink)

    @staticmethod
    def _progress(job: Job, tracker: PoseTracker, output: FrameOutput, summary: LoopSummary) -> None:
        job.done, job.people, job.counts = summary.frames, len(output.people), summary.counts
        job.timings_ms = tracker.timer.mean_ms()
        if time.monotonic() - job.preview_at > PREVIEW_EVERY:
            job.preview, job.preview_at = encode_png(output.canvas), time.monotonic()

    @staticmethod
    def _finish(job: Job, summary: LoopSummary, results: IncrementalResults, sink: OverlaySink) -> None:
        """The job's files and representative frame; its error, or warning, as the CLI reports them."""
        job.results = results.path if results.finalized else None
        if sink.written:
            job.overlay = sink.video_path if sink.is_video else next(sink.location.iterdir(), None)
        if summary.best is not None:
            job.preview, job.best_frame = encode_png(summary.best.canvas), summary.best.frame.index
        if summary.outcome == 'truncated':
            job.warning = JobQueue._message(job, summary.problem())
        elif summary.outcome != 'done':
            raise InputError(summary.problem())


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of a BGR image (lossless: the page's picture is the overlay as drawn)."""
    ok, data = cv2.imencode('.png', image)
    if not ok:
        raise RuntimeError('cannot encode the overlay as PNG')
    return data.tobytes()

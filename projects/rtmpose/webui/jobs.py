"""Uploads run as jobs, one at a time in a worker thread, each with its progress, timing, overlay and JSON.

A job's files live in its own folder: the upload, ``results.json`` (COCO results, as the CLI writes them) and the
overlay (``<name>.mp4`` for a video, the image for an image). A bad upload (not an image or a video, an empty or
zero-frame video) ends its job with the error message; the worker goes on with the next job.
"""
from __future__ import annotations

import queue
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..inference import PoseTracker
from ..media.overlay_sink import OverlaySink
from ..media.results_io import IncrementalResults
from ..media.sources import FrameSource, InputError
from ..media.visualize import draw_poses
from ..metainfo import COCO17
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
    """One upload and its state (``queued``, ``running``, ``done`` or ``error``)."""

    id: str
    folder: Path
    upload: Path
    request: JobRequest
    state: str = 'queued'
    done: int = 0
    total: int | None = None
    kind: str = ''
    people: int = 0
    error: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    preview: bytes | None = None  # PNG of the latest overlay frame
    results: Path | None = None
    overlay: Path | None = None

    def status(self) -> dict[str, Any]:
        """The job as the page polls it."""
        return {'id': self.id, 'state': self.state, 'done': self.done, 'total': self.total, 'kind': self.kind,
                'people': self.people, 'error': self.error, 'timings_ms': self.timings_ms,
                'has_preview': self.preview is not None, 'results': self.results is not None,
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
        self._queue: queue.Queue[Job] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name='webui-jobs', daemon=True)
        self._worker.start()

    def submit(self, data: bytes, filename: str, request: JobRequest) -> Job:
        """Store an upload and queue its job."""
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

    def _work(self) -> None:
        while True:
            job = self._queue.get()
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
        """``message`` with the upload's server-side path replaced by its name (the user's file)."""
        return message.replace(str(job.upload), job.upload.name)

    def _run(self, job: Job) -> None:
        request = job.request
        source = FrameSource(str(job.upload), request.max_frames)
        if source.kind not in ('image', 'video'):
            raise InputError(f'{job.upload.name}: upload an image or a video file')
        job.kind, job.total = source.kind, source.total
        detector, pose = self.choices.pipeline(request.pose, request.backend)
        tracker = PoseTracker(detector, pose, det_interval=request.det_interval, fps=source.fps)
        results = IncrementalResults(job.folder / 'results.json')
        sink = OverlaySink(source, job.folder / 'overlay')
        try:
            self._frames(job, source, tracker, results, sink)
        finally:
            sink.close()
            source.release()
        if job.done == 0:
            raise InputError(f'{job.upload.name}: no frame could be read (an empty or broken video)')
        job.results = results.finalize()
        job.overlay = sink.video_path if sink.is_video else next(sink.location.iterdir(), None)

    def _frames(self, job: Job, source: FrameSource, tracker: PoseTracker, results: IncrementalResults,
                sink: OverlaySink) -> None:
        shown = 0.0
        for frame in source:
            with self.choices.lock:
                people = tracker(frame.image, frame.timestamp)
            results.add_frame(people, frame.image_id, frame.index)
            canvas = draw_poses(frame.image, people, keypoint_set=tracker.keypoint_set or COCO17)
            sink.write(frame, canvas)
            job.done, job.people, job.timings_ms = job.done + 1, len(people), tracker.mean_timings_ms()
            last = job.total is not None and job.done >= job.total
            if last or time.monotonic() - shown > PREVIEW_EVERY:
                job.preview, shown = encode_png(canvas), time.monotonic()
        if job.done:
            job.preview = encode_png(canvas)


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of a BGR image (lossless: the page's picture is the overlay as drawn)."""
    ok, data = cv2.imencode('.png', image)
    if not ok:
        raise RuntimeError('cannot encode the overlay as PNG')
    return data.tobytes()

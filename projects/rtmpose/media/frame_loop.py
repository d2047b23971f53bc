"""The one frame loop of the applications (the CLI, the web demo's uploads and its webcam): frames of a source
through the tracker into the results file and the overlay, with progress, stop requests (Ctrl-C, SIGTERM, a server
shutting down), cut or corrupt input and failures part-way, keeping whatever was produced.

>>> loop = FrameLoop(tracker, IncrementalResults('out/clip.json'), OverlaySink(source, 'out'))
>>> summary = loop.run(source)  # closes the overlay, the source and the results, whatever happens
>>> summary.outcome, summary.problem()  # ('truncated', 'the video ended after 21 of 40 announced frames ...')

A webcam page sends one frame per request: it calls :meth:`FrameLoop.step` for each.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm import tqdm

from ..metainfo import COCO17
from .overlay_sink import OverlaySink
from .results_io import IncrementalResults
from .sources import Frame, FrameSource, InputError
from .visualize import draw_poses

#: What :attr:`LoopSummary.outcome` can be, most serious first.
OUTCOMES = ('failed', 'interrupted', 'empty', 'truncated', 'done')


class TerminatedError(Exception):
    """A second SIGTERM while the loop was stopping: stop at once."""


class StopRequest:
    """A request to stop the loop after the frame in hand (so its result and overlay are both written, or
    neither): set by :meth:`request` from any thread, or by SIGINT / SIGTERM inside :meth:`signals`.

    Attributes:
        reason: why the loop was asked to stop (``None``: it was not).
    """

    def __init__(self) -> None:
        self.reason: str | None = None

    def request(self, reason: str) -> None:
        """Ask the loop to stop after the frame in hand."""
        self.reason = self.reason or reason

    @contextmanager
    def signals(self) -> Iterator[StopRequest]:
        """SIGINT and SIGTERM request a stop while inside (a second one stops at once: ``KeyboardInterrupt`` or
        :class:`TerminatedError`); the previous handlers are restored on the way out. Outside the main thread
        (where Python cannot take signals) it does nothing."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _handle(self, signum: int, frame: Any) -> None:  # noqa: ARG002 - signal's signature
        if self.reason is not None:  # asked twice: stop now
            raise KeyboardInterrupt() if signum == signal.SIGINT else TerminatedError()
        self.request('interrupted' if signum == signal.SIGINT else 'terminated (SIGTERM)')


@dataclass
class FrameOutput:
    """One frame through the loop: the frame, its people (:class:`~rtmpose.inference.PersonPose`) and the overlay
    drawn on it (``(H, W, 3)`` BGR ``uint8``; ``None`` when the loop does not draw)."""

    frame: Frame
    people: list
    canvas: np.ndarray | None


@dataclass
class LoopSummary:
    """What a run of the loop did.

    Attributes:
        source: the source that was read.
        counts: people per processed frame, in order.
        best: the frame with the most people (the first of ties), as the representative picture of a video.
        stopped: why the run stopped early on request (``'interrupted'``, ``'terminated (SIGTERM)'``...).
        failure: why the run failed part-way (the pipeline raised, an output could not be written).
    """

    source: FrameSource
    counts: list[int] = field(default_factory=list)
    best: FrameOutput | None = None
    stopped: str | None = None
    failure: str | None = None

    @property
    def frames(self) -> int:
        return len(self.counts)

    @property
    def poses(self) -> int:
        return sum(self.counts)

    def add(self, output: FrameOutput) -> None:
        if self.best is None or len(output.people) > len(self.best.people):
            self.best = output
        self.counts.append(len(output.people))

    def fail(self, message: str) -> None:
        self.failure = self.failure or message  # the first failure is the cause

    @property
    def outcome(self) -> str:
        """One of :data:`OUTCOMES`: ``'failed'`` part-way, ``'interrupted'`` on request, ``'empty'`` (no frame
        could be read), ``'truncated'`` (a video gave fewer frames than it announced) or ``'done'``."""
        if self.failure is not None:
            return 'failed'
        if self.stopped is not None:
            return 'interrupted'
        if self.frames == 0:
            return 'empty'
        return 'truncated' if self.source.ended_early else 'done'

    def problem(self) -> str | None:
        """The message of an outcome other than ``'done'`` (``None`` for ``'done'``)."""
        source = self.source
        return {'failed': self.failure, 'interrupted': self.stopped,
                'empty': f'no frames could be read from the {"video" if source.kind == "video" else "input"} '
                         f'{source.spec} (empty or corrupt)',
                'truncated': f'the video ended after {source.frames_read} of {source.total} announced frames '
                             f'(truncated or corrupt?); the frames read are saved'}.get(self.outcome)


def pipeline_fps(tracker: Any) -> float:
    """Frames per second of the tracker's pipeline so far (its own time, not the reading and drawing)."""
    seconds = tracker.timer.totals['total']
    return tracker.timer.frames / seconds if seconds > 0 else 0.0


class FrameLoop:
    """Frames through ``tracker`` into ``results`` and ``overlay``.

    Args:
        tracker: a :class:`~rtmpose.inference.PoseTracker`.
        results: the COCO results file (``None``: none).
        overlay: the overlay sink (``None``: none).
        draw: draw the overlay of each frame (``False``: :attr:`FrameOutput.canvas` is ``None``; then an enabled
            ``overlay`` is an error).
        kpt_thr: keypoints drawn above this score.
        show_fps: draw the pipeline's frame rate on the overlay.
        lock: held while the tracker runs (models shared between threads, as in the web demo).
    """

    def __init__(self, tracker: Any, results: IncrementalResults | None = None, overlay: OverlaySink | None = None,
                 draw: bool = True, kpt_thr: float = 0.3, show_fps: bool = False,
                 lock: threading.Lock | None = None) -> None:
        if overlay is not None and overlay.enabled and not draw:
            raise ValueError('an overlay needs draw=True')
        self.tracker, self.results, self.overlay = tracker, results, overlay
        self.draw, self.kpt_thr, self.show_fps = draw, kpt_thr, show_fps
        self.lock = lock or nullcontext()

    def step(self, frame: Frame, new_sequence: bool = False, extra: dict[str, Any] | None = None) -> FrameOutput:
        """Track, record and draw one frame (``new_sequence``: reset the tracker first, for independent photos;
        ``extra``: fields added to each of its records)."""
        with self.lock:
            if new_sequence:
                self.tracker.new_sequence()
            people = self.tracker(frame.image, frame.timestamp)
        if self.results is not None:
            self.results.add_frame(people, frame.image_id, frame.index, extra)
        canvas = None
        if self.draw:
            fps = pipeline_fps(self.tracker) if self.show_fps else None
            canvas = draw_poses(frame.image, people, self.kpt_thr, keypoint_set=self.tracker.keypoint_set or COCO17,
                                fps=fps)
        if self.overlay is not None:
            self.overlay.write(frame, canvas)
        return FrameOutput(frame, people, canvas)

    def run(self, source: FrameSource, stop: StopRequest | None = None, independent: bool = False,
            on_frame: Callable[[FrameOutput, LoopSummary], None] | None = None,
            progress: bool = False) -> LoopSummary:
        """Every frame of ``source`` through :meth:`step`, then close the overlay, the source and the results
        (whatever happened: what was produced is kept).

        Args:
            source: the frames.
            stop: checked before each frame (``None``: SIGINT / SIGTERM stop the run, see
                :meth:`StopRequest.signals`).
            independent: the frames are unrelated photos: the tracker starts anew on each.
            on_frame: called after each frame (progress, previews).
            progress: show a tqdm progress bar (with the pipeline's FPS and the people in the frame).

        Raises:
            InputError: a frame that cannot be read where that is the user's input's fault (see
                :class:`~.sources.FrameSource`); the outputs are closed first.
        """
        summary = LoopSummary(source)
        stop = stop or StopRequest()
        extra = source.kind in ('image', 'folder')
        bar = tqdm(total=source.total, unit='frame', desc=source.name, disable=not progress, dynamic_ncols=True)
        try:
            with stop.signals():
                for frame in source:
                    if stop.reason is not None:
                        break
                    output = self.step(frame, independent, {'file_name': frame.name} if extra else None)
                    summary.add(output)
                    bar.update(1)
                    bar.set_postfix(fps=f'{pipeline_fps(self.tracker):.1f}', persons=len(output.people),
                                    refresh=False)
                    if on_frame is not None:
                        on_frame(output, summary)
            summary.stopped = stop.reason
        except KeyboardInterrupt:
            summary.stopped = 'interrupted'
        except TerminatedError:
            summary.stopped = 'terminated (SIGTERM)'
        except InputError:
            raise
        except OSError as err:  # an output that cannot be written: a full disk, a folder gone
            summary.fail(f'writing the outputs failed on frame {summary.frames}: {err}')
        except Exception as err:  # noqa: BLE001 - keep what was written; report the failure clearly
            summary.fail(f'the pipeline failed on frame {summary.frames}: {type(err).__name__}: {err}')
        finally:
            bar.close()
            self._close(source, summary)
        return summary

    def _close(self, source: FrameSource, summary: LoopSummary) -> None:
        """Close the overlay, the source and the results; a failure to write them is the summary's failure."""
        source.release()
        if self.overlay is not None:
            try:
                self.overlay.close()
            except OSError as err:
                summary.fail(f'cannot finish the overlay {self.overlay.location}: {err}')
        if self.results is not None:
            try:
                self.results.finalize()
            except OSError as err:
                summary.fail(f'cannot write {self.results.path} ({err}); the {summary.frames} frame(s) done are '
                             f'in {self.results.partial}')

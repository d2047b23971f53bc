"""Seconds per stage of a frame-by-frame pipeline: the one timer of :class:`~rtmpose.inference.PoseTracker`, and of
the pipelines the benchmarks time beside it (``benchmarks/pipeline``), so every report has the same stages.

>>> timer = StageTimer(('detect', 'pose'))
>>> with timer.frame():
...     with timer.stage('detect'):
...         boxes = detector(image)
>>> timer.last['detect'], timer.last['total'], timer.mean_ms()
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

#: the key of the whole frame's time in :attr:`StageTimer.last` / :attr:`StageTimer.totals`
TOTAL = 'total'


class _Span:
    """A ``with`` block timed into one key of the timer's current frame (a plain class: a ``contextmanager``
    generator costs several times more, and the pipeline enters eight of these per frame)."""

    __slots__ = ('_timer', '_key', '_start')

    def __init__(self, timer: StageTimer, key: str) -> None:
        self._timer, self._key, self._start = timer, key, 0.0

    def __enter__(self) -> None:
        self._start = time.perf_counter()

    def __exit__(self, *exc: Any) -> None:
        self._timer._current[self._key] += time.perf_counter() - self._start


class StageTimer:
    """Wall time of named stages, per frame and summed over frames.

    Args:
        stages: the stage names, in report order (``'total'`` is added: the whole frame, stages and the work
            between them).

    Attributes:
        stages: the stage names given.
        last: ``{stage: seconds}`` of the last frame finished, ``'total'`` included; a stage not run in that frame
            is ``0.0``.
        totals: the same summed over the frames since :meth:`reset`.
        frames: frames finished since :meth:`reset` (a frame that raised is not counted).
    """

    def __init__(self, stages: Sequence[str]) -> None:
        self.stages = tuple(stages)
        if TOTAL in self.stages or len(set(self.stages)) != len(self.stages):
            raise ValueError(f'stage names must be unique and not {TOTAL!r}, got {self.stages}')
        self._spans = {stage: _Span(self, stage) for stage in self.stages}
        self._total = _Span(self, TOTAL)
        self.reset()

    def reset(self) -> None:
        """Forget all times and the frame count."""
        self.last: dict[str, float] = dict.fromkeys((*self.stages, TOTAL), 0.0)
        self.totals: dict[str, float] = dict.fromkeys(self.last, 0.0)
        self.frames = 0
        self._current = dict(self.last)

    def frame(self) -> StageTimer:
        """``with timer.frame():`` times one frame: the stages timed inside it make :attr:`last` when it ends and
        are added to :attr:`totals` (not when it raises)."""
        return self

    def __enter__(self) -> None:
        self._current = dict.fromkeys(self.last, 0.0)
        self._total.__enter__()

    def __exit__(self, exc_type: type | None, *exc: Any) -> None:
        if exc_type is not None:
            return
        self._total.__exit__()
        self.last = self._current
        for stage, seconds in self.last.items():
            self.totals[stage] += seconds
        self.frames += 1

    def stage(self, name: str) -> _Span:
        """``with timer.stage(name):`` adds the time of the block to stage ``name`` of the current frame (a stage
        may run several times in a frame, e.g. once per crop; not inside itself)."""
        return self._spans[name]

    def mean_ms(self) -> dict[str, float]:
        """Mean milliseconds per finished frame of every stage and ``'total'`` (a stage that runs on some frames
        only, such as detection every ``det_interval`` frames, is averaged over all frames)."""
        count = max(self.frames, 1)
        return {stage: 1000.0 * seconds / count for stage, seconds in self.totals.items()}

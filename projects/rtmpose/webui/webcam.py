"""Webcam frames from the page, one request each: a tracker per browser session, the overlay and records back.

Each frame goes through :meth:`~rtmpose.media.frame_loop.FrameLoop.step`, the step of the applications' one frame
loop (the page's request loop takes the place of a frame source)."""
from __future__ import annotations

import base64
import time
from collections import OrderedDict
from typing import Any

import cv2
import numpy as np

from ..inference import PoseTracker
from ..media.frame_loop import FrameLoop
from ..media.results_io import person_record
from ..media.sources import Frame, InputError
from .choices import ModelChoices


class WebcamSessions:
    """Frame loops of the pages that stream their webcam, keyed by (session, pose, runtime); the least recently
    used is dropped beyond ``max_sessions``."""

    def __init__(self, choices: ModelChoices, max_sessions: int = 8) -> None:
        self.choices, self.max_sessions = choices, max_sessions
        self._loops: OrderedDict[tuple[str, str, str], tuple[FrameLoop, float]] = OrderedDict()

    def _loop(self, session: str, pose: str, backend: str) -> tuple[FrameLoop, float]:
        key = (session, pose, backend)
        if key not in self._loops:
            detector, pose_model = self.choices.pipeline(pose, backend)
            self._loops[key] = (FrameLoop(PoseTracker(detector, pose_model), lock=self.choices.lock),
                                time.monotonic())
            while len(self._loops) > self.max_sessions:
                self._loops.popitem(last=False)
        self._loops.move_to_end(key)
        return self._loops[key]

    def frame(self, session: str, data: bytes, pose: str, backend: str = '') -> dict[str, Any]:
        """Track one encoded frame (JPEG/PNG bytes): ``{'image': data URL of the overlay (JPEG), 'people': COCO
        records, 'timings_ms': this frame's stages}``.

        Raises:
            InputError: ``data`` is not an image.
            ValueError: an unknown model or runtime.
        """
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
        if image is None:
            raise InputError('the webcam frame is not an image')
        loop, started = self._loop(session, pose, backend)
        index = loop.tracker.frame_idx
        output = loop.step(Frame(index, image, index, f'{session}_{index:06d}', time.monotonic() - started))
        jpeg = cv2.imencode('.jpg', output.canvas, [cv2.IMWRITE_JPEG_QUALITY, 85])[1]
        return {'image': 'data:image/jpeg;base64,' + base64.b64encode(jpeg.tobytes()).decode(),
                'people': [person_record(p, index, index) for p in output.people],
                'timings_ms': {stage: 1000.0 * value for stage, value in loop.tracker.timer.last.items()}}

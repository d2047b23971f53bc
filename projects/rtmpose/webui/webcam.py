"""Webcam frames from the page, one request each: a tracker per browser session, the overlay and records back."""
from __future__ import annotations

import base64
import time
from collections import OrderedDict
from typing import Any

import cv2
import numpy as np

from ..inference import PoseTracker
from ..media.results_io import person_record
from ..media.sources import InputError
from ..media.visualize import draw_poses
from ..metainfo import COCO17
from .choices import ModelChoices


class WebcamSessions:
    """Trackers of the pages that stream their webcam, keyed by (session, pose, runtime); the least recently used
    is dropped beyond ``max_sessions``."""

    def __init__(self, choices: ModelChoices, max_sessions: int = 8) -> None:
        self.choices, self.max_sessions = choices, max_sessions
        self._trackers: OrderedDict[tuple[str, str, str], tuple[PoseTracker, float]] = OrderedDict()

    def _tracker(self, session: str, pose: str, backend: str) -> tuple[PoseTracker, float]:
        key = (session, pose, backend)
        if key not in self._trackers:
            detector, pose_model = self.choices.pipeline(pose, backend)
            self._trackers[key] = (PoseTracker(detector, pose_model), time.monotonic())
            while len(self._trackers) > self.max_sessions:
                self._trackers.popitem(last=False)
        self._trackers.move_to_end(key)
        return self._trackers[key]

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
        tracker, started = self._tracker(session, pose, backend)
        with self.choices.lock:
            people = tracker(image, time.monotonic() - started)
        canvas = draw_poses(image, people, keypoint_set=tracker.keypoint_set or COCO17)
        jpeg = cv2.imencode('.jpg', canvas, [cv2.IMWRITE_JPEG_QUALITY, 85])[1]
        index = tracker.frame_idx - 1
        return {'image': 'data:image/jpeg;base64,' + base64.b64encode(jpeg.tobytes()).decode(),
                'people': [person_record(p, index, index) for p in people],
                'timings_ms': {stage: 1000.0 * value for stage, value in tracker.timings.items()}}

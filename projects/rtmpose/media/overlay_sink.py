"""Overlay output for a :class:`~.sources.FrameSource`: an ``.mp4`` for a video or webcam, image files for images.

The video writer is opened on the first frame (with that frame's size; later frames of another size are resized to
it) and released in :meth:`OverlaySink.close`, which callers run in a ``finally`` so that the frames written before
a crash or Ctrl-C stay playable. An output path that is the input itself gets a ``_pose`` suffix instead: the
input is never overwritten.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from .sources import Frame, FrameSource, InputError


class OverlaySink:
    """Writes the drawn frames of a source under ``out_dir``.

    Where: ``<out_dir>/<name>.mp4`` (mp4v, the source's frame rate) for a video or webcam,
    ``<out_dir>/<frame.name>`` for an image and ``<out_dir>/<folder name>/<frame.name>`` for a folder (PNG when
    OpenCV cannot write the image's own format).

    Args:
        source: the frames' source (its ``kind``, ``name``, ``fps`` and ``path`` are read).
        out_dir: the output folder (created on the first write).
        enabled: ``False`` writes nothing (:meth:`write` returns at once).

    Attributes:
        written: frames written so far.
        location: where the overlay goes (the video file, or ``out_dir``).
    """

    def __init__(self, source: FrameSource, out_dir: Path, enabled: bool = True):
        self.enabled = enabled
        self.kind, self.fps, self.source_path = source.kind, source.fps, source.path
        self.out_dir = Path(out_dir)
        self.writer: cv2.VideoWriter | None = None
        self.size: tuple[int, int] | None = None
        self.written = 0
        if self.is_video:
            self.video_path = self._not_the_input(self.out_dir / f'{source.name}.mp4')
        self.image_dir = self.out_dir / source.name if source.kind == 'folder' else self.out_dir

    @property
    def is_video(self) -> bool:
        return self.kind in ('video', 'webcam')

    @property
    def location(self) -> Path:
        return self.video_path if self.is_video else self.out_dir

    def _not_the_input(self, target: Path) -> Path:
        """``target``, or ``<stem>_pose<ext>`` when ``target`` is the input itself (never overwrite the input)."""
        source = self.source_path
        if source is None or not target.exists():
            return target
        inputs = [source] + ([source / target.name] if source.is_dir() else [])
        if any(target.resolve() == p.resolve() for p in inputs if p.exists()):
            return target.with_name(f'{target.stem}_pose{target.suffix}')
        return target

    def write(self, frame: Frame, canvas: np.ndarray) -> None:
        """Write ``canvas`` (``(H, W, 3)`` BGR ``uint8``, ``frame`` drawn on).

        Raises:
            InputError: the video or image file cannot be written.
        """
        if not self.enabled:
            return
        if self.is_video:
            self._write_video(canvas)
        else:
            self._write_image(self._not_the_input(self.image_dir / frame.name), canvas)
        self.written += 1

    def _write_video(self, canvas: np.ndarray) -> None:
        height, width = canvas.shape[:2]
        if self.writer is None:
            self.video_path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = cv2.VideoWriter(str(self.video_path), cv2.VideoWriter_fourcc(*'mp4v'), self.fps,
                                          (width, height))
            if not self.writer.isOpened():
                raise InputError(f'cannot write the video {self.video_path}')
            self.size = (width, height)
        if (width, height) != self.size:
            canvas = cv2.resize(canvas, self.size)
        self.writer.write(canvas)

    @staticmethod
    def _write_image(target: Path, canvas: np.ndarray) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not cv2.imwrite(str(target), canvas):
            target = target.with_suffix('.png')
            if not cv2.imwrite(str(target), canvas):
                raise InputError(f'cannot write {target}')

    def close(self) -> None:
        """Release the video writer (idempotent)."""
        if self.writer is not None:
            self.writer.release()
            self.writer = None

"""Overlay output for a :class:`~.sources.FrameSource`: an ``.mp4`` for a video or webcam, image files for images.

The video (H.264, :class:`~.video_writer.H264Writer`) is opened on the first frame (with that frame's size; later
frames of another size are resized to it) and closed in :meth:`OverlaySink.close`, which callers run in a
``finally``; it is a fragmented MP4, so even a killed run leaves the frames written before it playable. An output
path that is the input itself gets the ``_pose`` suffix (:data:`~.sources.OVERLAY_SUFFIX`) instead: the input is
never overwritten.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from .sources import OVERLAY_SUFFIX, Frame, FrameSource
from .video_writer import H264Writer


class OverlaySink:
    """Writes the drawn frames of a source under ``out_dir``.

    Where: ``<out_dir>/<name>.mp4`` (H.264, the source's frame rate) for a video or webcam,
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
        self.writer: H264Writer | None = None
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
            return target.with_name(f'{target.stem}{OVERLAY_SUFFIX}{target.suffix}')
        return target

    def write(self, frame: Frame, canvas: np.ndarray) -> None:
        """Write ``canvas`` (``(H, W, 3)`` BGR ``uint8``, ``frame`` drawn on).

        Raises:
            OSError: the video or an image cannot be written (e.g. the disk is full).
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
            self.writer = H264Writer(self.video_path, self.fps, (width, height))
        if (width, height) != self.writer.size:
            canvas = cv2.resize(canvas, self.writer.size)
        self.writer.write(canvas)

    @staticmethod
    def _write_image(target: Path, canvas: np.ndarray) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not cv2.imwrite(str(target), canvas):
            target = target.with_suffix('.png')
            if not cv2.imwrite(str(target), canvas):
                raise OSError(f'cannot write {target} (is the disk full?)')

    def close(self) -> None:
        """Close the video (idempotent; ``OSError`` when its last frames cannot be written)."""
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.close()

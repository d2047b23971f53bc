"""Frame sources: an image, a folder of images, a video file or a webcam, read as one stream of :class:`Frame`.

>>> source = FrameSource('clip.mp4')
>>> for frame in source:  # frame.image (H, W, 3) BGR uint8, frame.index, frame.timestamp (s)...
...     people = tracker(frame.image, frame.timestamp)
>>> source.release()

Every problem a user can cause (a missing, empty, corrupt or unsupported input) is an :class:`InputError` with a
message that says what is wrong, raised when the source is opened where it can be known then, so that nothing is
written for an input that cannot be read.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

IMAGE_EXTS = frozenset({'.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff', '.jp2', '.pgm', '.ppm', '.pbm'})
DEFAULT_FPS = 30.0
#: Suffix of an overlay written beside its input (``photo.jpg`` -> ``photo_pose.jpg``); a folder holding both skips
#: the overlay, so that a run never reads an earlier run's output as a photo.
OVERLAY_SUFFIX = '_pose'


class InputError(Exception):
    """An input (or output) file that cannot be read (written): the message is for the user, no traceback."""


class Frame(NamedTuple):
    """One frame of a source.

    Attributes:
        index: position in the source (for a folder, the file's position among its images, skipped ones counted).
        image: ``(H, W, 3)`` BGR ``uint8``.
        image_id: COCO ``image_id``: the file name's number (``000000196141.jpg`` -> 196141), else ``index``.
        name: file name of an image; ``<source name>_<index:06d>`` for a video frame.
        timestamp: seconds from the start of a video (``index / fps``); ``None`` for images.
    """

    index: int
    image: np.ndarray
    image_id: int | str
    name: str
    timestamp: float | None


def read_image(path: str | Path) -> np.ndarray:
    """The BGR ``uint8`` image ``(H, W, 3)`` in ``path`` (grayscale and alpha images are converted by OpenCV).

    Raises:
        InputError: the file cannot be read, or is not an image OpenCV can decode.
    """
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as err:
        raise InputError(f'cannot read {path}: {err}') from err
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None or image.size == 0:
        raise InputError(f'{path} is not a readable image (empty, corrupt or an unsupported format)')
    return image


def _image_id(path: Path, index: int) -> int | str:
    return int(path.stem) if path.stem.isdigit() else index


class FrameSource:
    """The frames of ``spec``: an image file, a folder of images (sorted by name), a video file, or a webcam index
    (``'0'``) when no file of that name exists.

    Args:
        spec: the input, as a user gives it.
        max_frames: stop after this many frames (``None``: all).
        on_skip: called with the message of each unreadable image of a folder, which is skipped (also listed in
            :attr:`skipped`). An unreadable single image is an :class:`InputError`.

    Attributes:
        kind: ``'image'``, ``'folder'``, ``'video'`` or ``'webcam'``.
        name: the input's name for output files (file stem, folder name, ``webcam<N>``).
        path: the input path (``None`` for a webcam).
        fps: the video's frame rate (30 when it declares none, and for images).
        overlays: images of a folder skipped as overlays of its other images (``<stem>_pose.*`` beside ``<stem>.*``).
        total: the number of frames expected (``None`` when unknown: a webcam, a video without a frame count),
            at most ``max_frames``.
        frames_read: frames a video or webcam gave, set when it ends.
        ended_early: a video gave fewer frames than it declares (truncated or corrupt).

    Raises:
        InputError: the input does not exist, a folder has no images, an image cannot be decoded, a video or webcam
            cannot be opened.
    """

    def __init__(self, spec: str, max_frames: int | None = None, on_skip: Callable[[str], None] | None = None):
        self.spec, self.max_frames, self.on_skip = spec, max_frames, on_skip
        self.fps, self.total, self.path = DEFAULT_FPS, None, None
        self.files: list[Path] = []
        self.skipped: list[str] = []
        self.overlays: list[Path] = []
        self.ended_early, self.frames_read = False, 0
        self.capture: cv2.VideoCapture | None = None
        self._first_image: np.ndarray | None = None
        path = Path(spec).expanduser()
        if not path.exists():
            self._open_webcam(spec)
            return
        self.path = path
        if path.is_dir():
            self._open_folder(path)
        elif path.suffix.lower() in IMAGE_EXTS:
            self.kind, self.name, self.files, self.total = 'image', path.stem, [path], 1
            self._first_image = read_image(path)  # fail before any output is created
        else:
            self._open_video(path)
        if self.max_frames is not None and self.total is not None:
            self.total = min(self.total, self.max_frames)

    def _open_webcam(self, spec: str) -> None:
        if not spec.isdigit():
            raise InputError(f'input not found: {spec} (give an image, a folder of images, a video file or a '
                             f'webcam index)')
        self.kind, self.name = 'webcam', f'webcam{spec}'
        self.capture = cv2.VideoCapture(int(spec))
        if not self.capture.isOpened():
            raise InputError(f'cannot open webcam {spec} (no camera with this index?)')
        self.fps = self.capture.get(cv2.CAP_PROP_FPS) or DEFAULT_FPS

    def _open_folder(self, path: Path) -> None:
        self.kind, self.name = 'folder', path.resolve().name or 'images'
        images = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTS)
        stems = {p.stem for p in images}
        self.overlays = [p for p in images if p.stem.endswith(OVERLAY_SUFFIX)
                         and p.stem[:-len(OVERLAY_SUFFIX)] in stems]
        self.files = [p for p in images if p not in self.overlays]
        if not self.files:
            raise InputError(f'no images ({", ".join(sorted(IMAGE_EXTS))}) in the folder {path}')
        self.total = len(self.files)

    def _open_video(self, path: Path) -> None:
        self.kind, self.name = 'video', path.stem
        if path.stat().st_size == 0:
            raise InputError(f'{path} is empty (0 bytes)')
        self.capture = cv2.VideoCapture(str(path))
        if not self.capture.isOpened():
            raise InputError(f'cannot open {path} as a video (corrupt, truncated, or not a video file)')
        fps = self.capture.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and np.isfinite(fps) and 0 < fps < 1000 else DEFAULT_FPS
        count = int(self.capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.total = count if count > 0 else None

    def __iter__(self) -> Iterator[Frame]:
        if self.kind in ('image', 'folder'):
            yield from self._images()
        else:
            yield from self._video()

    def _images(self) -> Iterator[Frame]:
        count = 0
        for index, file in enumerate(self.files):
            if self.max_frames is not None and count >= self.max_frames:
                return
            try:
                image, self._first_image = self._first_image, None
                image = read_image(file) if image is None else image
            except InputError as err:
                if self.kind == 'image':
                    raise
                self.skipped.append(str(err))
                if self.on_skip is not None:
                    self.on_skip(str(err))
                continue
            count += 1
            yield Frame(index, image, _image_id(file, index), file.name, None)

    def _video(self) -> Iterator[Frame]:
        index = 0
        while self.max_frames is None or index < self.max_frames:
            ok, image = self.capture.read()
            if not ok or image is None:
                break
            yield Frame(index, image, index, f'{self.name}_{index:06d}', index / self.fps)
            index += 1
        if self.kind == 'video' and self.total is not None and index < self.total:
            self.ended_early = True
        self.frames_read = index

    def release(self) -> None:
        """Close the video or webcam (idempotent)."""
        if self.capture is not None:
            self.capture.release()

"""H.264 ``.mp4`` writing with PyAV (FFmpeg's libx264, shipped in PyAV's wheels): the codec every browser and player
decodes, unlike OpenCV's ``mp4v`` (MPEG-4 Part 2), which browsers do not play.

The file is a fragmented MP4 (``empty_moov``: the header first, then a fragment per frame, written and flushed as
it is encoded; the encoder keeps no look-ahead, ``zerolatency``), so a run killed without clean-up still leaves a
playable video of every frame written but the last. A fragment costs about 100 bytes. Browsers, QuickTime and
OpenCV play fragmented MP4 like any other; a key frame per second keeps seeking quick.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

#: ``movflags`` of a fragmented MP4 that is valid while written (a fragment per frame, no index at the end).
FRAGMENTED = 'frag_every_frame+empty_moov+default_base_moof'


class H264Writer:
    """Writes BGR frames of one size to an H.264 fragmented ``.mp4``.

    Args:
        path: the ``.mp4`` file (replaced).
        fps: frame rate (frames per second of the video).
        size: ``(width, height)`` of every frame; odd sizes are padded by one pixel (H.264's 4:2:0 needs even ones).
        crf: libx264's constant rate factor (lower: better and bigger; 23 is its default).

    Raises:
        OSError: the file cannot be created (a missing folder, no permission, a full disk).
    """

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int], crf: int = 23) -> None:
        self.path = Path(path)
        self.size = size
        rate = Fraction(fps).limit_denominator(1001)
        gop = max(1, round(fps))  # a key frame per second of video
        try:
            self._container = av.open(str(self.path), 'w', format='mp4',
                                      options={'movflags': FRAGMENTED, 'flush_packets': '1'})
        except av.FFmpegError as err:
            raise OSError(err.errno or 0, f'cannot write the video {self.path}: {err}') from err
        # superfast: the encoder must not slow the pipeline down (it costs less per frame than OpenCV's mp4v did)
        self._stream = self._container.add_stream('libx264', rate=rate, options={
            'preset': 'superfast', 'tune': 'zerolatency', 'crf': str(crf), 'g': str(gop)})
        self._stream.width, self._stream.height = (v + v % 2 for v in size)
        self._stream.pix_fmt = 'yuv420p'

    def write(self, image: np.ndarray) -> None:
        """Encode one ``(H, W, 3)`` BGR ``uint8`` frame of :attr:`size`.

        Raises:
            OSError: the frame could not be written (e.g. the disk is full).
        """
        height, width = image.shape[:2]
        padded = np.pad(image, ((0, height % 2), (0, width % 2), (0, 0)), mode='edge')
        self._mux(self._stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(padded), format='bgr24')))

    def close(self) -> None:
        """Flush the encoder and close the file (idempotent). A failure is raised once the file is closed."""
        if self._container is None:
            return
        try:
            self._mux(self._stream.encode())
        finally:
            container, self._container = self._container, None
            try:
                container.close()
            except av.FFmpegError as err:
                raise OSError(err.errno or 0, f'cannot finish the video {self.path}: {err}') from err

    def _mux(self, packets) -> None:
        try:
            self._container.mux(packets)
        except av.FFmpegError as err:
            raise OSError(err.errno or 0, f'cannot write the video {self.path}: {err}') from err

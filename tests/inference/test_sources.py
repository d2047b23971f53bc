"""Frame sources (image, folder, video) and the overlay sink, in process on small synthetic files."""
import cv2
import numpy as np
import pytest

from rtmpose.media.overlay_sink import OverlaySink
from rtmpose.media.sources import FrameSource, InputError, read_image


def _image(seed: int, shape=(48, 64, 3)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, np.uint8)


def _video(path, frames: int, fps: float = 25.0, size=(64, 48)):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'MJPG'), fps, size)
    assert writer.isOpened()
    for i in range(frames):  # noise: every frame's JPEG is large next to the container's headers
        writer.write(_image(i, (size[1], size[0], 3)))
    writer.release()
    return path


def test_read_image(tmp_path):
    cv2.imwrite(str(tmp_path / 'gray.png'), _image(0)[..., 0])
    assert read_image(tmp_path / 'gray.png').shape == (48, 64, 3)
    (tmp_path / 'bad.jpg').write_bytes(b'\xff\xd8\xff\xe0 not really')
    with pytest.raises(InputError, match='not a readable image'):
        read_image(tmp_path / 'bad.jpg')
    (tmp_path / 'empty.png').write_bytes(b'')
    with pytest.raises(InputError, match='not a readable image'):
        read_image(tmp_path / 'empty.png')


def test_folder_sorted_skips_unreadable_and_stops_at_max_frames(tmp_path):
    for name, seed in (('b.png', 1), ('000000000042.jpg', 2), ('c.png', 3)):
        cv2.imwrite(str(tmp_path / name), _image(seed))
    (tmp_path / 'a_broken.png').write_bytes(b'broken')
    (tmp_path / 'notes.txt').write_text('not an image')
    skipped = []
    source = FrameSource(str(tmp_path), on_skip=skipped.append)
    assert (source.kind, source.name, source.total, source.fps) == ('folder', tmp_path.name, 4, 30.0)
    frames = list(source)
    assert [f.name for f in frames] == ['000000000042.jpg', 'b.png', 'c.png']
    assert [f.index for f in frames] == [0, 2, 3]  # the position among the images, the skipped one counted
    assert [f.image_id for f in frames] == [42, 2, 3] and all(f.timestamp is None for f in frames)
    assert len(skipped) == 1 and 'a_broken.png' in skipped[0] and source.skipped == skipped
    np.testing.assert_array_equal(frames[1].image, _image(1))
    limited = FrameSource(str(tmp_path), max_frames=2)
    assert limited.total == 2 and [f.name for f in limited] == ['000000000042.jpg', 'b.png']


def test_single_image_is_read_when_opened(tmp_path):
    cv2.imwrite(str(tmp_path / 'photo.png'), _image(4))
    source = FrameSource(str(tmp_path / 'photo.png'))
    (tmp_path / 'photo.png').unlink()  # already read: the frame does not need the file any more
    (frame,) = list(source)
    assert (source.kind, source.name, frame.name, frame.image_id) == ('image', 'photo', 'photo.png', 0)
    (tmp_path / 'broken.jpg').write_bytes(b'broken')
    with pytest.raises(InputError, match='not a readable image'):
        FrameSource(str(tmp_path / 'broken.jpg'))


def test_video_frames_timestamps_and_a_cut_file(tmp_path):
    path = _video(tmp_path / 'clip.avi', 12)
    source = FrameSource(str(path))
    assert (source.kind, source.name, source.total, source.fps) == ('video', 'clip', 12, 25.0)
    frames = list(source)
    source.release()
    assert [f.index for f in frames] == list(range(12)) and frames[3].name == 'clip_000003'
    assert frames[5].timestamp == pytest.approx(5 / 25) and frames[5].image_id == 5
    assert not source.ended_early and source.frames_read == 12
    limited = FrameSource(str(path), max_frames=4)
    assert limited.total == 4 and len(list(limited)) == 4 and not limited.ended_early
    limited.release()
    data = path.read_bytes()
    (tmp_path / 'cut.avi').write_bytes(data[:len(data) // 2])
    cut = FrameSource(str(tmp_path / 'cut.avi'))
    read = len(list(cut))
    cut.release()
    assert 0 < read < 12 and cut.ended_early and cut.frames_read == read


@pytest.mark.parametrize('case, message', [('missing', 'input not found'), ('empty_file', 'is empty'),
                                           ('not_a_video', 'cannot open'), ('no_images', 'no images'),
                                           ('webcam', 'cannot open webcam')])
def test_bad_inputs(case, message, tmp_path):
    (tmp_path / 'empty.mp4').write_bytes(b'')
    (tmp_path / 'random.mp4').write_bytes(np.random.default_rng(0).bytes(20_000))
    (tmp_path / 'folder').mkdir()
    spec = {'missing': tmp_path / 'nowhere.mp4', 'empty_file': tmp_path / 'empty.mp4',
            'not_a_video': tmp_path / 'random.mp4', 'no_images': tmp_path / 'folder', 'webcam': '57'}[case]
    with pytest.raises(InputError, match=message):
        FrameSource(str(spec))


def test_overlay_video_resizes_and_never_overwrites_the_input(tmp_path):
    path = _video(tmp_path / 'clip.mp4', 3)  # an .mp4 name, so the overlay would land on the input itself
    source = FrameSource(str(path))
    sink = OverlaySink(source, tmp_path)
    assert sink.location == tmp_path / 'clip_pose.mp4'
    for frame in source:
        sink.write(frame, cv2.resize(frame.image, (64 + frame.index * 8, 48)))  # later frames of another size
    sink.close()
    source.release()
    cap = cv2.VideoCapture(str(sink.location))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 3 == sink.written
    assert cap.read()[1].shape == (48, 64, 3)
    cap.release()


def test_overlay_images(tmp_path):
    photos = tmp_path / 'photos'
    photos.mkdir()
    for name in ('a.png', 'b.jpg'):
        cv2.imwrite(str(photos / name), _image(5))
    before = (photos / 'a.png').read_bytes()
    folder = FrameSource(str(photos))
    sink = OverlaySink(folder, tmp_path / 'out')
    for frame in folder:
        sink.write(frame, frame.image)
    assert sorted(p.name for p in (tmp_path / 'out' / 'photos').iterdir()) == ['a.png', 'b.jpg']
    assert sink.location == tmp_path / 'out' and sink.written == 2
    single = FrameSource(str(photos / 'a.png'))
    beside = OverlaySink(single, photos)  # into the input's own folder
    for frame in single:
        beside.write(frame, np.zeros_like(frame.image))
    assert (photos / 'a.png').read_bytes() == before and (photos / 'a_pose.png').is_file()
    disabled = OverlaySink(FrameSource(str(photos / 'b.jpg')), tmp_path / 'none', enabled=False)
    disabled.write(next(iter(FrameSource(str(photos / 'b.jpg')))), _image(6))
    assert disabled.written == 0 and not (tmp_path / 'none').exists()


def test_a_folder_skips_the_overlays_of_its_own_images(tmp_path):
    """Issue 23.17: overlays an earlier run wrote beside their photos (``<stem>_pose.<ext>``) were read as photos."""
    for name in ('a.jpg', 'a_pose.jpg', 'b.png', 'b_pose.png', 'lone_pose.png'):
        cv2.imwrite(str(tmp_path / name), _image(7))
    source = FrameSource(str(tmp_path))
    assert [f.name for f in source] == ['a.jpg', 'b.png', 'lone_pose.png']  # no photo of its own: a photo
    assert sorted(p.name for p in source.overlays) == ['a_pose.jpg', 'b_pose.png'] and source.total == 3


def _h264_frames(path) -> tuple[str, int]:
    """(codec, frames decoded) of a video, read with PyAV (FFmpeg)."""
    import av
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.codec_context.name, sum(1 for _ in container.decode(stream))


def test_overlay_video_is_h264(tmp_path):
    """Issue 23.3: the overlay was MPEG-4 Part 2 (``mp4v``), which browsers do not play; it is H.264 now, odd frame
    sizes included (H.264's 4:2:0 needs even ones: the writer pads)."""
    source = FrameSource(str(_video(tmp_path / 'clip.avi', 4, size=(65, 47))))
    sink = OverlaySink(source, tmp_path / 'out')
    for frame in source:
        sink.write(frame, frame.image)
    sink.close()
    assert _h264_frames(sink.location) == ('h264', 4)


KILLED_WRITER = '''
import os, signal, sys
import numpy as np
from rtmpose.media.sources import FrameSource
from rtmpose.media.overlay_sink import OverlaySink
source = FrameSource(sys.argv[1])
sink = OverlaySink(source, sys.argv[2])
for frame in source:
    sink.write(frame, frame.image)
os.kill(os.getpid(), signal.SIGKILL)  # no close(): the file is left as it is
'''


def test_overlay_video_of_a_killed_run_plays(tmp_path):
    """Issue 23.12: after SIGKILL the overlay ``.mp4`` was unplayable (its index is written at the end); the
    fragmented MP4 keeps every frame written before the kill."""
    import subprocess
    import sys
    video = _video(tmp_path / 'clip.avi', 75, fps=25.0)
    out = subprocess.run([sys.executable, '-c', KILLED_WRITER, str(video), str(tmp_path / 'out')],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == -9, out.stderr
    codec, frames = _h264_frames(tmp_path / 'out' / 'clip.mp4')
    assert codec == 'h264' and frames >= 74, frames  # every frame but the last (the muxer holds one)
    cap = cv2.VideoCapture(str(tmp_path / 'out' / 'clip.mp4'))  # and OpenCV reads it too
    assert cap.read()[0]
    cap.release()

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

"""The applications' one frame loop (:mod:`rtmpose.media.frame_loop`) on a real :class:`PoseTracker` whose models are
plain callables (the tracker's documented interface): the people of each frame are the grey level of its top-left
corner, so every frame's count is known."""
import cv2
import numpy as np

from rtmpose.inference import PoseTracker, TrackerConfig
from rtmpose.media.frame_loop import FrameLoop, StopRequest
from rtmpose.media.overlay_sink import OverlaySink
from rtmpose.media.results_io import IncrementalResults, read_results
from rtmpose.media.sources import FrameSource

COUNTS = [1, 3, 0, 2, 3, 1]
LEVEL = 60  # grey level per person


def detector(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``round(corner / 60)`` boxes, side by side."""
    count = int(round(float(image[:8, :8].mean()) / LEVEL))
    boxes = np.array([[20 + 60 * i, 20, 70 + 60 * i, 120] for i in range(count)], np.float32).reshape(-1, 4)
    return boxes, np.full(count, 0.9, np.float32)


def pose_model(image: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """17 keypoints spread over each box."""
    grid = np.stack(np.meshgrid(np.linspace(0.1, 0.9, 17), np.linspace(0.1, 0.9, 1)), -1).reshape(17, 2)
    keypoints = boxes[:, None, :2] + grid[None] * (boxes[:, None, 2:] - boxes[:, None, :2])
    return keypoints.astype(np.float32), np.full(keypoints.shape[:2], 0.9, np.float32)


def _video(path, counts=COUNTS):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'MJPG'), 25, (320, 160))
    for count in counts:
        writer.write(np.full((160, 320, 3), LEVEL * count, np.uint8))
    writer.release()
    return path


def _loop(tmp_path, source, overlay_dir=None):
    tracker = PoseTracker(detector, pose_model, TrackerConfig(smooth=False))
    results = IncrementalResults(tmp_path / 'out' / f'{source.name}.json')
    return FrameLoop(tracker, results, OverlaySink(source, overlay_dir or tmp_path / 'out')), results


def test_counts_best_frame_and_outputs(tmp_path):
    source = FrameSource(str(_video(tmp_path / 'clip.avi')))
    loop, results = _loop(tmp_path, source)
    summary = loop.run(source)
    assert summary.outcome == 'done' and summary.problem() is None
    assert summary.counts == COUNTS and summary.poses == sum(COUNTS)
    assert summary.best.frame.index == 1 and len(summary.best.people) == 3  # the first frame with the most
    assert summary.best.canvas.shape == (160, 320, 3)
    records = read_results(results.path)
    assert [sum(r['frame_index'] == i for r in records) for i in range(len(COUNTS))] == COUNTS
    assert loop.overlay.written == len(COUNTS) and loop.overlay.writer is None  # closed


def test_a_cut_video_is_truncated(tmp_path):
    whole = _video(tmp_path / 'whole.avi', COUNTS * 4)
    cut = tmp_path / 'cut.avi'
    cut.write_bytes(whole.read_bytes()[:whole.stat().st_size // 2])
    source = FrameSource(str(cut))
    summary = _loop(tmp_path, source)[0].run(source)
    assert summary.outcome == 'truncated' and 0 < summary.frames < len(COUNTS) * 4
    assert summary.problem().startswith(f'the video ended after {summary.frames} of {len(COUNTS) * 4} announced')


def test_an_output_that_cannot_be_written_fails_and_keeps_the_results(tmp_path):
    blocker = tmp_path / 'blocker'
    blocker.write_text('a file where the overlay folder goes')
    source = FrameSource(str(_video(tmp_path / 'clip.avi')))
    loop, results = _loop(tmp_path, source, overlay_dir=blocker / 'sub')
    summary = loop.run(source)
    assert summary.outcome == 'failed' and summary.problem().startswith('writing the outputs failed on frame 0')
    assert results.finalized and results.path.exists()  # the results of the frames before are kept


def test_a_stop_request_ends_after_the_frame_in_hand(tmp_path):
    source = FrameSource(str(_video(tmp_path / 'clip.avi')))
    stop = StopRequest()
    loop, results = _loop(tmp_path, source)
    summary = loop.run(source, stop, on_frame=lambda output, summary: output.frame.index == 1 and stop.request('bye'))
    assert summary.outcome == 'interrupted' and summary.problem() == 'bye' and summary.frames == 2
    assert {r['frame_index'] for r in read_results(results.path)} == {0, 1} and loop.overlay.written == 2

"""PoseTracker on the real arm-wrestling video with the real detector and the peaked RTMPose-t."""
import subprocess
import sys

import cv2
import numpy as np
import pytest

from rtmpose.inference.stage_timer import StageTimer
from rtmpose.inference.tracker import STAGES, PoseTracker, TrackerConfig, box_iou, greedy_match, stack_people
from tests.paths import REPO_ROOT


class CountingDetector:
    def __init__(self, detector):
        self.detector = detector
        self.calls = 0

    def __call__(self, image):
        self.calls += 1
        return self.detector(image)


def _run(tracker, frames):
    return [tracker(frame) for frame in frames]


def _main_ids(first_frame_people, count=2):
    """Track ids of the ``count`` largest people in the first frame (the two arm wrestlers)."""
    areas = [np.prod(p.bbox[2:] - p.bbox[:2]) for p in first_frame_people]
    return [first_frame_people[i].track_id for i in np.argsort(areas)[::-1][:count]]


@pytest.mark.parametrize('det_interval', [1, 5])
def test_ids_stable_on_video(detector, pose_model, video_frames, det_interval):
    counting = CountingDetector(detector)
    tracker = PoseTracker(counting, pose_model, TrackerConfig(det_interval=det_interval))
    results = _run(tracker, video_frames)
    assert counting.calls == -(-len(video_frames) // det_interval)
    assert tracker.timer.frames == len(video_frames) and tracker.det_frames == counting.calls
    assert len(results[0]) >= 4  # the two wrestlers and people in the background
    main = _main_ids(results[0])
    previous = {p.track_id: p.bbox for p in results[0]}
    seen = set(previous)
    for index, people in enumerate(results[1:], start=1):
        ids = [p.track_id for p in people]
        assert len(ids) == len(set(ids)), f'duplicate ids in frame {index}'
        assert ids == sorted(ids)
        by_id = {p.track_id: p for p in people}
        for tid in main:  # the wrestlers keep their ids in every frame, their boxes move smoothly
            assert tid in by_id, f'track {tid} lost in frame {index}'
            assert box_iou(by_id[tid].bbox[None], previous[tid][None])[0, 0] > 0.5
        new = set(ids) - seen
        if index % det_interval:
            assert not new, f'new ids {new} on frame {index}, which is not a detection frame'
        seen |= set(ids)
        previous.update({p.track_id: p.bbox for p in people})
        for p in people:
            assert p.keypoints.shape == (17, 2) and p.scores.shape == (17,) and p.bbox.shape == (4,)
            assert p.keypoints.dtype == np.float32
    assert len(seen) <= 20
    mean_ms = tracker.timer.mean_ms()
    assert list(mean_ms) == [*STAGES, 'total'] and mean_ms['total'] > 0 and mean_ms['pose'] > 0
    last = tracker.timer.last
    assert all(value > 0 for value in last.values()) or det_interval > 1
    assert last['total'] >= sum(last[stage] for stage in STAGES)  # stages do not overlap
    if det_interval > 1:
        assert last['detect'] == 0.0  # frame 29 is not a detection frame
    tracker.reset()
    assert tracker.timer.frames == tracker.det_frames == 0 and tracker.timer.mean_ms()['total'] == 0.0


def test_smoothing_and_stacking(detector, pose_model, video_frames):
    smooth = PoseTracker(detector, pose_model, TrackerConfig(smooth=True))
    raw = PoseTracker(detector, pose_model, TrackerConfig(smooth=False))
    for frame in video_frames[:6]:
        a, b = smooth(frame), raw(frame)
    assert [p.track_id for p in a] == [p.track_id for p in b]
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.raw_keypoints, q.keypoints)
        np.testing.assert_array_equal(q.keypoints, q.raw_keypoints)
    assert any(np.abs(p.keypoints - p.raw_keypoints).max() > 0 for p in a)
    stacked = stack_people(a)
    assert stacked['keypoints'].shape == (len(a), 17, 2) and stacked['track_ids'].tolist() == [p.track_id for p in a]
    assert stack_people([])['keypoints'].shape == (0, 17, 2)


def test_bad_frames(detector, pose_model, video_frames):
    frame = video_frames[0]
    reference = PoseTracker(detector, pose_model)(frame)
    bgra = cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)
    from_bgra = PoseTracker(detector, pose_model)(bgra)
    assert [p.track_id for p in from_bgra] == [p.track_id for p in reference]
    np.testing.assert_allclose(np.stack([p.keypoints for p in from_bgra]),
                               np.stack([p.keypoints for p in reference]))
    tracker = PoseTracker(detector, pose_model)
    gray = tracker(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    assert isinstance(gray, list) and all(p.keypoints.shape == (17, 2) for p in gray)
    assert tracker(np.zeros_like(frame)) == []  # nobody in a black frame
    assert tracker(np.zeros((0, 0, 3), np.uint8)) == []
    with pytest.raises(ValueError, match='None'):
        tracker(None)
    with pytest.raises(ValueError, match='shape'):
        tracker(np.zeros((4, 4, 2), np.uint8))


def test_settings_come_in_a_config(detector, pose_model):
    """Bad settings fail when the config is made; keywords or a bare value instead of a config get a TypeError that
    shows the call."""
    with pytest.raises(ValueError, match='det_interval must be >= 1'):
        TrackerConfig(det_interval=0)
    with pytest.raises(ValueError, match='min_cutoff > 0'):
        TrackerConfig(min_cutoff=0)
    with pytest.raises(TypeError, match=r'TrackerConfig\(det_interval=5, smooth=False\)'):
        PoseTracker(detector, pose_model, det_interval=5, smooth=False)
    with pytest.raises(TypeError, match=r'TrackerConfig\(det_interval=5\)\), not 5'):
        PoseTracker(detector, pose_model, 5)
    with pytest.raises(TypeError, match=r"build_pose_model\(..., metainfo='coco'\)"):
        PoseTracker(detector, pose_model, keypoint_set='coco')
    config = TrackerConfig(det_interval=3.0, sigmas=np.full(17, 0.05))
    assert config.det_interval == 3 and config.sigmas == (0.05,) * 17 and hash(config)
    tracker = PoseTracker(detector, pose_model, config)
    assert tracker.config is config and tracker.nms_sigmas(17).tolist() == [0.05] * 17


def test_stage_timer():
    timer = StageTimer(('a', 'b'))
    for _ in range(2):
        with timer.frame():
            with timer.stage('a'):
                sum(range(1000))
            for _ in range(3):  # a stage run several times in a frame adds up
                with timer.stage('b'):
                    sum(range(1000))
    assert timer.frames == 2 and list(timer.last) == ['a', 'b', 'total']
    assert 0 < timer.last['a'] and timer.last['a'] + timer.last['b'] <= timer.last['total']
    assert timer.mean_ms()['b'] == pytest.approx(1000 * timer.totals['b'] / 2)
    with pytest.raises(RuntimeError), timer.frame():  # a frame that fails is not counted
        raise RuntimeError
    assert timer.frames == 2
    with pytest.raises(ValueError, match='unique'):
        StageTimer(('a', 'total'))


def test_degenerate_and_outside_boxes(pose_model):
    boxes = np.array([[10, 10, 10, 80],          # zero width
                      [500, 500, 600, 600],      # outside the frame
                      [np.nan, 0, 10, 10],       # not finite
                      [-50, -20, 60, 90],        # partly outside -> clipped
                      [100, 40, 180, 150]], np.float32)

    def fake_detector(image):
        return boxes, np.linspace(0.9, 0.5, len(boxes)).astype(np.float32)

    tracker = PoseTracker(fake_detector, pose_model, TrackerConfig(smooth=False))
    people = tracker(np.full((200, 300, 3), 128, np.uint8))
    assert len(people) == 2
    kept = sorted(p.bbox.tolist() for p in people)
    np.testing.assert_allclose(kept, [[0, 0, 60, 90], [100, 40, 180, 150]])


def test_tracks_expire_and_ids_are_not_reused(pose_model):
    box = np.array([[100, 40, 180, 150]], np.float32)
    schedule = {0: box, 1: box, 2: np.zeros((0, 4), np.float32), 3: np.zeros((0, 4), np.float32), 4: box}

    class Scripted:
        frame = 0

        def __call__(self, image):
            out = schedule.get(self.frame, box)
            self.frame += 1
            return out, np.ones(len(out), np.float32)

    tracker = PoseTracker(Scripted(), pose_model, TrackerConfig(max_age=1))
    image = np.full((200, 300, 3), 128, np.uint8)
    ids = [[p.track_id for p in tracker(image)] for _ in range(5)]
    assert ids == [[0], [0], [], [], [1]]  # forgotten after max_age frames unseen, then a new id


def test_greedy_match_and_iou():
    iou = box_iou(np.array([[0, 0, 10, 10], [20, 20, 30, 30]]),
                  np.array([[0, 0, 10, 5], [21, 21, 30, 30], [0, 0, 0, 0]]))
    np.testing.assert_allclose(iou[:, 2], 0)
    assert iou[0, 0] == pytest.approx(0.5)
    assert greedy_match(iou, 0.3) == [(1, 1), (0, 0)]
    assert greedy_match(np.array([[0.9, 0.8], [0.85, 0.1]]), 0.3) == [(0, 0)]  # one-to-one, greedy
    assert greedy_match(np.zeros((0, 3)), 0.3) == []


def test_onnx_runtime_path_imports_no_torch_or_openmmlab(tmp_path, peaked_models):
    """Run the whole tracker in a fresh interpreter and check nothing heavy got imported."""
    package = REPO_ROOT / 'projects' / 'rtmpose'
    code = f'''
import sys, types
import numpy as np
pkg = types.ModuleType('rtmpose'); pkg.__path__ = [{str(package)!r}]; sys.modules['rtmpose'] = pkg
from rtmpose.hub import build_pose_model
from rtmpose.inference import PoseTracker
pose = build_pose_model({str(peaked_models['dynamic'])!r})
tracker = PoseTracker(lambda img: (np.array([[10., 10., 90., 150.]]), np.array([0.9])), pose)
assert len(tracker(np.full((200, 200, 3), 100, np.uint8))) == 1
heavy = sorted(m for m in sys.modules
               if m.split('.')[0] in ('torch', 'mmcv', 'mmpose', 'mmdet', 'mmengine', 'mmdeploy', 'ncnn', 'pnnx'))
print('HEAVY', heavy)
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert 'HEAVY []' in out.stdout, out.stdout

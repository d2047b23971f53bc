"""The whole pipeline on real data: the official RTMDet-nano + a real RTMPose-t graph exported to ONNX.

No trained RTMPose weights exist on these machines, so the pose model has random weights and a *peaked* SimCC
output (see ``real_models`` in conftest.py): the network runs for real and every crop gets a standing-person
layout moved by the image-dependent head output. Keypoint positions therefore say nothing about accuracy; what is
checked is that every person gets a pose, that poses can be followed between detections, that track ids stay
stable and that the One-Euro filter lowers the frame-to-frame jitter.
"""
import json

import cv2
import numpy as np
import pytest

from rtmpose.hub import build_pose_model
from rtmpose.inference import PoseTracker, TrackerConfig
from rtmpose.inference.preprocess import bboxes_to_center_scale
from rtmpose.inference.tracker import box_iou

REAL_FRAMES = 30
FIRST_SHOT = 200  # the video cuts to another view (camera swing, then a new shot) after about frame 200


@pytest.fixture(scope='module')
def real_pose(real_models):
    return build_pose_model(real_models['peaked'], threads=2)


def _front_ids(first_people, count=2):
    """Track ids of the ``count`` largest people of the first frame: the two arm wrestlers."""
    areas = [float(np.prod(p.bbox[2:] - p.bbox[:2])) for p in first_people]
    return [first_people[i].track_id for i in np.argsort(areas)[::-1][:count]]


def jitter(results, track_ids, smoothed):
    """Mean absolute second difference (pixels) of the keypoints of ``track_ids`` over consecutive frames."""
    values = []
    for tid in track_ids:
        seq = np.stack([next(getattr(p, 'keypoints' if smoothed else 'raw_keypoints') for p in people
                             if p.track_id == tid) for people in results])
        values.append(np.abs(np.diff(seq, n=2, axis=0)).mean())
    return float(np.mean(values))


def test_every_coco_person_gets_a_pose(detector, real_pose, shared_dir):
    """All 12 keypoint-annotated people of data/coco are detected (IoU >= 0.5) and each gets a full pose through
    PoseTracker with the real RTMPose graph."""
    coco = shared_dir / 'data' / 'coco'
    data = json.loads((coco / 'test_coco.json').read_text())
    tracker = PoseTracker(detector, real_pose, TrackerConfig(det_interval=1))
    posed = total = 0
    for info in data['images']:
        tracker.new_sequence()  # unrelated photos
        image = cv2.imread(str(coco / info['file_name']))
        people = tracker(image)
        gts = [a['bbox'] for a in data['annotations'] if a['image_id'] == info['id'] and a['num_keypoints'] > 0]
        total += len(gts)
        if not gts:
            continue
        assert people, info['file_name']
        boxes = np.stack([p.bbox for p in people])
        gt_xyxy = np.array([[x, y, x + w, y + h] for x, y, w, h in gts])
        iou = box_iou(gt_xyxy, boxes)
        for row in range(len(gts)):
            person = people[int(iou[row].argmax())]
            assert iou[row].max() >= 0.5, f'{info["file_name"]}: annotation {row} has no detection'
            assert person.keypoints.shape == (17, 2) and np.isfinite(person.keypoints).all()
            assert (person.scores > 0.3).all() and person.score > 0.3
            center, scale = bboxes_to_center_scale(person.bbox[None], (192, 256), 1.25)
            lo, hi = center - scale / 2, center + scale / 2  # the crop the pose came from
            assert ((person.keypoints >= lo - 1) & (person.keypoints <= hi + 1)).all()
            kpt_box = np.concatenate([person.keypoints.min(0), person.keypoints.max(0)])
            assert box_iou(kpt_box[None], gt_xyxy[row][None])[0, 0] > 0.3  # the pose covers the person
            posed += 1
    assert total == 12 and posed == 12
    assert tracker.det_frames == len(data['images'])


@pytest.mark.parametrize('det_interval', [1, 5])
def test_real_graph_tracks_front_people_and_smoothing_lowers_jitter(detector, real_pose, video_frames, det_interval,
                                                                      record_property):
    tracker = PoseTracker(detector, real_pose, TrackerConfig(det_interval=det_interval, smooth=True))
    results = [tracker(frame) for frame in video_frames[:REAL_FRAMES]]
    assert tracker.det_frames == -(-REAL_FRAMES // det_interval)
    front = _front_ids(results[0])
    for index, people in enumerate(results):
        ids = [p.track_id for p in people]
        assert len(ids) == len(set(ids))
        for tid in front:
            assert tid in ids, f'front person {tid} lost on frame {index}'
    raw, smoothed = jitter(results, front, False), jitter(results, front, True)
    reduction = 100 * (1 - smoothed / raw)
    record_property('jitter_raw_px', raw)
    record_property('jitter_smoothed_px', smoothed)
    print(f'\njitter (det_interval={det_interval}, {REAL_FRAMES} frames, two front people): raw {raw:.2f} px, '
          f'One-Euro {smoothed:.2f} px, reduction {reduction:.0f}%')
    assert raw > 0.1  # the poses do move (detector boxes, image-dependent head output)
    assert reduction >= 30
    # smoothing off: the keypoints are the raw ones, and the tracking is the same
    plain = PoseTracker(detector, real_pose, TrackerConfig(det_interval=det_interval, smooth=False))
    plain_results = [plain(frame) for frame in video_frames[:6]]
    for people, plain_people in zip(results[:6], plain_results):
        assert [p.track_id for p in people] == [p.track_id for p in plain_people]
        for p, q in zip(people, plain_people):
            np.testing.assert_array_equal(q.keypoints, q.raw_keypoints)
            np.testing.assert_allclose(q.keypoints, p.raw_keypoints, atol=1e-4)


@pytest.mark.parametrize('det_interval', [1, 5])
def test_whole_video_runs_to_the_end(detector, pose_model, all_video_frames, det_interval):
    """All 280 frames with the real detector (the peaked RTMPose-t). In the first shot, the two arm
    wrestlers keep their ids: present in most frames, and back under the same id after every detector miss."""
    tracker = PoseTracker(detector, pose_model, TrackerConfig(det_interval=det_interval))
    results = [tracker(frame) for frame in all_video_frames]
    assert tracker.timer.frames == 280 and tracker.det_frames == -(-280 // det_interval)
    front = _front_ids(results[0])
    first_shot = results[:FIRST_SHOT]
    for tid in front:
        present = [any(p.track_id == tid for p in people) for people in first_shot]
        assert np.mean(present) >= 0.8, f'track {tid} present in {np.mean(present):.0%} of the first shot'
        gaps = np.diff(np.flatnonzero(present))
        assert gaps.max(initial=1) <= tracker.config.max_age + 1  # never gone long enough to be replaced
    # no other track takes a wrestler's place: a new id overlapping a wrestler's last box would be a switch
    last = {tid: next(p.bbox for p in results[0] if p.track_id == tid) for tid in front}
    first_ids = {p.track_id for p in results[0]}
    for people in first_shot[1:]:
        for p in people:
            if p.track_id in last:
                continue
            if p.track_id not in first_ids:
                for tid, box in last.items():
                    overlap = box_iou(p.bbox[None], box[None])[0, 0]
                    area_ratio = np.prod(p.bbox[2:] - p.bbox[:2]) / np.prod(box[2:] - box[:2])
                    assert overlap < 0.7 or area_ratio > 1.5, f'track {p.track_id} replaced {tid}'
        last.update({p.track_id: p.bbox for p in people if p.track_id in last})
    assert all(len(people) <= 15 for people in results)

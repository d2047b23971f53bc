"""Every keypoint set, end to end (the resolver itself: ``tests/metainfo``): RTMPose models of whole-body (133), hand
(21), animal (AP-10K 17), face (LaPa 106) and Halpe (26) keypoints exported by ``tools/deploy.py`` (MMDeploy SDK
folders, random weights with a peaked head) run through the tracker on the shared fixture images with nothing but the
folder's own metadata; the NMS sigmas and the drawn skeleton checked against the dataset's metainfo, and the CLI on
the video."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from rtmpose.inference.tracker import PersonPose, PoseTracker, TrackerConfig
from rtmpose.media.visualize import draw_poses
from rtmpose.metainfo import COCO17, load_keypoint_set
from tests.conftest import require_shared
from tests.paths import REPO_ROOT


def test_unknown_k_without_metadata_is_an_error():
    class Pose:
        num_keypoints = 21

    with pytest.raises(ValueError, match="21 keypoints and carries no keypoint metadata.*'coco_wholebody_hand'"):
        PoseTracker(lambda image: (np.zeros((0, 4)), np.zeros(0)), Pose())
    Pose.keypoint_set = load_keypoint_set('coco_wholebody_hand')  # as build_pose_model(metainfo=) sets it
    assert PoseTracker(lambda image: None, Pose()).keypoint_set.num_keypoints == 21
    del Pose.keypoint_set
    Pose.num_keypoints = 17
    assert PoseTracker(lambda image: None, Pose()).keypoint_set is COCO17


def _check_mmdeploy_files(folder: Path, pose) -> None:
    """``folder`` is what ``tools/deploy.py --dump-info`` writes: MMDeploy's SDK files naming the model config, whose
    input size and ``K`` the pose model built from the folder has."""
    from mmengine.config import Config

    detail = json.loads((folder / 'detail.json').read_text())
    assert detail['codebase']['task'] == 'PoseDetection' and Path(detail['codebase']['config']).is_file()
    assert json.loads((folder / 'deploy.json').read_text())['models'][0]['net'] == 'end2end.onnx'
    cfg = Config.fromfile(detail['codebase']['config'])
    assert pose.input_size == tuple(cfg.codec['input_size'])
    assert pose.num_keypoints == cfg.model.head.out_channels == pose.keypoint_set.num_keypoints


def _gt_boxes(shared_dir, subdir, ann):
    """(image, its annotated boxes xyxy) of the first image with annotations in a shared COCO-format file."""
    data = json.loads(require_shared(shared_dir, f'data/{subdir}/{ann}').read_text())
    image = data['images'][0]
    boxes = np.array([a['bbox'] for a in data['annotations'] if a['image_id'] == image['id']], np.float32)
    boxes[:, 2:] += boxes[:, :2]
    return cv2.imread(str(shared_dir / 'data' / subdir / image['file_name'])), boxes


class NmsSpy:
    """Records the sigmas the tracker's OKS NMS is called with."""

    def __init__(self, monkeypatch):
        from rtmpose.inference import tracker as tracker_module
        self.sigmas = []
        original = tracker_module.oks_nms

        def spy(keypoints, scores, areas, thr, sigmas):
            self.sigmas.append(np.asarray(sigmas))
            return original(keypoints, scores, areas, thr, sigmas)

        monkeypatch.setattr(tracker_module, 'oks_nms', spy)


def _check_link_colours(kset, size=(400, 400)):
    """For a few links, a pose with only that link's two keypoints visible: the pixel at the link's midpoint has
    the link's metainfo colour (BGR); without links, a keypoint has its colour."""
    _, link_colors = kset.colors()
    kpt_colors, _ = kset.colors()
    links = sorted({0, len(kset.skeleton) // 2, len(kset.skeleton) - 1}) if kset.skeleton else []
    for link in links:
        a, b = kset.skeleton[link]
        kpts = np.zeros((kset.num_keypoints, 2), np.float32)
        kpts[a], kpts[b] = (60, 80), (320, 300)
        scores = np.zeros(kset.num_keypoints, np.float32)
        scores[[a, b]] = 1.0
        canvas = draw_poses(np.zeros((*size, 3), np.uint8), [PersonPose(0, kpts, scores, np.zeros(4), 1.0, kpts)],
                            draw_bbox=False, keypoint_set=kset)
        assert canvas[190, 190].tolist() == link_colors[link][::-1].tolist(), (kset.name, link)
    if not links:
        kpts = np.full((kset.num_keypoints, 2), 200, np.float32)
        canvas = draw_poses(np.zeros((*size, 3), np.uint8), [PersonPose(0, kpts, np.ones(len(kpts)), np.zeros(4), 1.0,
                                                                       kpts)], draw_bbox=False, keypoint_set=kset)
        assert canvas[200, 200].tolist() == kpt_colors[-1][::-1].tolist()


@pytest.mark.parametrize('key, subdir, ann, expected', [
    pytest.param('wholebody', 'coco', 'test_coco_wholebody.json', 'coco_wholebody'),
    pytest.param('hand', 'onehand10k', 'test_onehand10k.json', 'coco_wholebody_hand'),
    ('ap10k', 'ap10k', 'test_ap10k.json', 'ap10k'),
    pytest.param('face', 'lapa', 'test_lapa.json', 'lapa'),
    pytest.param('halpe26', 'coco', 'test_coco.json', 'halpe26'),
])
def test_tracker_on_fixture_images(set_sdk_models, shared_dir, monkeypatch, key, subdir, ann, expected):
    """The SDK folder written by MMDeploy alone says which keypoints the model predicts; every box twice: NMS with
    the set's sigmas drops the copies, and each pose lies in its box (the peaked head follows the crop)."""
    from rtmpose.hub import build_pose_model

    image, boxes = _gt_boxes(shared_dir, subdir, ann)
    pose = build_pose_model(set_sdk_models[key], threads=2)
    _check_mmdeploy_files(set_sdk_models[key], pose)
    reference = load_keypoint_set(expected)
    assert pose.keypoint_set.name == expected and pose.keypoint_set.keypoint_names == reference.keypoint_names
    spy = NmsSpy(monkeypatch)
    duplicated = np.concatenate([boxes, boxes])  # every box twice: NMS must drop the copies
    tracker = PoseTracker(lambda img: (duplicated, np.linspace(0.9, 0.8, len(duplicated))), pose,
                          TrackerConfig(smooth=False))
    people = tracker(image)
    assert len(people) == len(boxes)
    assert all(p.keypoints.shape == (reference.num_keypoints, 2) for p in people)
    for person in people:  # the layout spans 10-90 % of the padded crop: the middle keypoint is inside the box
        box = boxes[np.argmax([_iou(person.bbox, b) for b in boxes])]
        x, y = np.median(person.keypoints, axis=0)
        assert box[0] <= x <= box[2] and box[1] <= y <= box[3], (key, person.keypoints, box)
    if reference.has_sigmas:
        assert spy.sigmas and all(np.array_equal(s, reference.sigmas) for s in spy.sigmas)
    else:  # LaPa has no OKS sigmas: the keypoint boxes' IoU suppresses the copies
        assert not spy.sigmas and tracker.nms_sigmas(reference.num_keypoints) is None
    _check_link_colours(reference)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    inter = np.prod(np.clip(np.minimum(a[2:4], b[2:]) - np.maximum(a[:2], b[:2]), 0, None))
    return float(inter / (np.prod(a[2:4] - a[:2]) + np.prod(b[2:] - b[:2]) - inter))


def test_cli_wholebody_on_the_video(set_sdk_models, det_dir, shared_dir, tmp_path):
    video = require_shared(shared_dir, 'video/mmdeploy_arm_wrestling.mp4')
    hand = shutil.copy(set_sdk_models['hand'] / 'end2end.onnx', tmp_path / 'hand21.onnx')  # no SDK files beside it
    out = subprocess.run([sys.executable, str(REPO_ROOT / 'demo' / 'pose_tracker_demo.py'), str(video), '--det',
                          str(det_dir), '--pose', str(set_sdk_models['wholebody']), '--max-frames', '4', '--threads',
                          '2', '--no-progress', '--out-dir', str(tmp_path)], capture_output=True, text=True,
                         timeout=300, cwd=str(REPO_ROOT))
    assert out.returncode == 0, out.stderr
    assert 'coco_wholebody, 133 keypoints' in out.stdout
    records = json.loads((tmp_path / 'mmdeploy_arm_wrestling.json').read_text())
    assert records and all(len(r['keypoints']) == 133 * 3 for r in records)
    category = json.loads((tmp_path / 'mmdeploy_arm_wrestling.categories.json').read_text())['categories'][0]
    assert category['keypoints'] == list(load_keypoint_set('coco_wholebody').keypoint_names)
    assert (tmp_path / 'mmdeploy_arm_wrestling.mp4').is_file()
    # the same 21-keypoint file without metadata: a clear error that says how to name the keypoints
    bare = subprocess.run([sys.executable, str(REPO_ROOT / 'demo' / 'pose_tracker_demo.py'), str(video), '--det',
                           str(det_dir), '--pose', str(hand), '--max-frames', '1', '--no-progress',
                           '--out-dir', str(tmp_path / 'bare')], capture_output=True, text=True, timeout=300,
                          cwd=str(REPO_ROOT))
    assert bare.returncode == 1 and '--metainfo' in bare.stderr and 'Traceback' not in bare.stderr
    named = subprocess.run([sys.executable, str(REPO_ROOT / 'demo' / 'pose_tracker_demo.py'), str(video), '--det',
                            str(det_dir), '--pose', str(hand), '--metainfo', 'coco_wholebody_hand',
                            '--max-frames', '1', '--no-progress', '--out-dir', str(tmp_path / 'named')],
                           capture_output=True, text=True, timeout=300, cwd=str(REPO_ROOT))
    assert named.returncode == 0, named.stderr
    records = json.loads((tmp_path / 'named' / 'mmdeploy_arm_wrestling.json').read_text())
    assert records and all(len(r['keypoints']) == 21 * 3 for r in records)


def test_sigmas_of_the_wrong_length_are_an_error(peaked_models, det_dir, shared_dir, tmp_path):
    """Issue 23 item 13: a ``--metainfo`` file with sigmas of another length than the keypoints switched the tracker
    to box NMS silently (14 of 60 frames differed, exit 0). Now the API and the CLI refuse it before any frame,
    naming the file and the fix."""
    from rtmpose.hub import build_pose_model
    from rtmpose.metainfo import mmpose_config_dir, read_metainfo_file

    video = require_shared(shared_dir, 'video/mmdeploy_arm_wrestling.mp4')
    info = read_metainfo_file(mmpose_config_dir() / '_base_' / 'datasets' / 'coco.py')
    metainfo = tmp_path / 'my_coco.py'
    metainfo.write_text(f'dataset_info = {dict(info, sigmas=info["sigmas"][:16])!r}\n')
    message = f'{metainfo}: 16 sigmas for 17 keypoints: give one OKS sigma per keypoint'
    with pytest.raises(ValueError, match=message):
        build_pose_model(peaked_models['dynamic'], metainfo=metainfo)
    out = subprocess.run([sys.executable, str(REPO_ROOT / 'demo' / 'pose_tracker_demo.py'), str(video), '--det',
                          str(det_dir), '--pose', str(peaked_models['dynamic']), '--metainfo', str(metainfo),
                          '--max-frames', '2', '--no-progress', '--out-dir', str(tmp_path / 'out')],
                         capture_output=True, text=True, timeout=300, cwd=str(REPO_ROOT))
    assert out.returncode == 1 and message in out.stderr and 'Traceback' not in out.stderr, out.stderr
    assert not (tmp_path / 'out').exists()  # refused before any output

"""``tools/pipeline_ap.py`` against MMPose's own top-down test on the real COCO images: with the ground-truth boxes,
the AP of MMPose's ``Runner.test()`` (what ``mim test`` runs) in process; the detector's boxes file given to a real
``mim test`` subprocess gives the AP the tool reports; and ``--det-interval`` over a video-like sequence."""
from __future__ import annotations

import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.engine.conftest import run
from tests.engine.test_mim_test_on_coco import mim_test_cmd
from tests.paths import REPO_ROOT, load_script
from tests.tools.conftest import mmpose_test

TOOL = REPO_ROOT / 'tools' / 'pipeline_ap.py'


@pytest.fixture(scope='module')
def tool():
    return load_script(TOOL)


def run_tool(tool, work_dir: Path, *args) -> dict:
    assert tool.main([*map(str, args), '--work-dir', str(work_dir), '--threads', '1']) == 0
    return json.loads((work_dir / 'pipeline_ap.json').read_text())


def assert_same_poses(ours: list[dict], theirs: list[dict], atol: float, score_atol: float) -> None:
    """The same poses per image (keypoints within ``atol`` px, scores within ``score_atol``), in any order."""
    assert sorted(r['image_id'] for r in ours) == sorted(r['image_id'] for r in theirs)
    for record in theirs:
        kpts = np.reshape(record['keypoints'], (-1, 3))
        mine = [np.reshape(r['keypoints'], (-1, 3)) for r in ours if r['image_id'] == record['image_id']]
        closest = min(mine, key=lambda other: np.abs(other[:, :2] - kpts[:, :2]).max())
        np.testing.assert_allclose(closest[:, :2], kpts[:, :2], atol=atol)
        np.testing.assert_allclose(closest[:, 2], kpts[:, 2], atol=score_atol)


def test_ground_truth_boxes_are_mmposes(coco_dir):
    """The boxes, ids and order MMPose's CocoDataset (top-down, no bbox_file) tests on."""
    from mmpose.datasets import CocoDataset

    from rtmpose.evaluation.image_set import ImageSet

    dataset = CocoDataset(ann_file=str(coco_dir / 'test_coco.json'), data_root='', data_prefix=dict(img=''),
                          test_mode=True, pipeline=[], lazy_init=False)
    ours = ImageSet(coco_dir / 'test_coco.json').ground_truth_boxes()
    ids = [i for image in ours.values() for i in image.ids]
    assert ids == [dataset[k]['id'] for k in range(len(dataset))]
    assert 0 < len(ids) < 14  # the crowd-free annotations without keypoints are dropped
    boxes = np.concatenate([image.boxes for image in ours.values()])
    np.testing.assert_array_equal(boxes, np.concatenate([dataset[k]['bbox'] for k in range(len(dataset))]))


def test_gt_boxes_ap_equals_mmpose_test(tool, fitted_model, coco_dir, tmp_path):
    ours = run_tool(tool, tmp_path / 'ours', coco_dir / 'test_coco.json', '--gt-boxes', '--pose', fitted_model['onnx'])
    metrics, mmpose_kpts = mmpose_test(fitted_model['config'], fitted_model['checkpoint'], coco_dir, 'test_coco.json',
                                       tmp_path / 'mmpose')
    assert 0.3 < metrics["coco/AP"] < 0.95  # far from a random model's 0 and from a perfect 1
    assert ours['metrics']['coco/AP'] == pytest.approx(metrics['coco/AP'], abs=1e-9)
    assert ours['metrics']['coco/AR'] == pytest.approx(metrics['coco/AR'], abs=1e-9)
    ours_kpts = json.loads((tmp_path / 'ours' / 'keypoints.keypoints.json').read_text())
    assert_same_poses(ours_kpts, mmpose_kpts, 1.0, 0.02)  # ONNX Runtime vs PyTorch: the same peak, within a bin


def test_detector_boxes_round_trip_through_mim_test(tool, fitted_model, coco_dir, det_dir, tmp_path):
    """The boxes file the tool writes, given to a real ``mim test`` (its own process, as a user runs it), gives the AP
    the tool reports; the pose model on the torch runtime here (the config and checkpoint ``mim test`` runs)."""
    ours = run_tool(tool, tmp_path / 'ours', coco_dir / 'test_coco.json', '--det', det_dir, '--det-score-thr', '0.05',
                    '--pose', fitted_model['config'], '--pose-checkpoint', fitted_model['checkpoint'])
    bbox_file = Path(ours['bbox_file'])
    records = json.loads(bbox_file.read_text())
    assert {tuple(sorted(r)) for r in records} == {('bbox', 'category_id', 'image_id', 'score')}
    assert {r['image_id'] for r in records} == {785, 40083, 196141, 197388}
    assert min(r['score'] for r in records) >= 0.05 and ours['poses'] == len(records)
    work_dir, log = tmp_path / 'mim', tmp_path / 'mim_test.log'
    cmd = mim_test_cmd(fitted_model['checkpoint'], coco_dir, bbox_file, work_dir)
    cmd += ['model.test_cfg.flip_test=False', f'test_evaluator.outfile_prefix={work_dir}/mmpose']
    assert run(cmd, log) == 0, log.read_text()[-3000:]
    printed = float(re.findall(r'coco/AP: ([0-9.]+)', log.read_text())[-1])
    metrics = json.loads(next(work_dir.glob('*/*.json')).read_text())  # the test metrics, unrounded
    assert printed == pytest.approx(metrics['coco/AP'], abs=1e-4) and metrics['coco/AP'] > 0.02
    assert ours['metrics']['coco/AP'] == pytest.approx(metrics['coco/AP'], abs=1e-9)
    assert ours['metrics']['coco/AR'] == pytest.approx(metrics['coco/AR'], abs=1e-9)
    # every pose MMPose kept after its OKS NMS, ours too; the scores move by up to 0.01 with the crops' pixels, which
    # differ by up to 2 levels where MMPose's float32 warp matrix rounds (tests/inference/test_mmpose_parity.py)
    assert_same_poses(json.loads((tmp_path / 'ours' / 'keypoints.keypoints.json').read_text()),
                      json.loads((work_dir / 'mmpose.keypoints.json').read_text()), 1e-3, 0.02)


def make_sequence(coco_dir: Path, folder: Path, frames: int = 6, step: float = 6.0) -> Path:
    """A PoseTrack18-style video: ``000000196141.jpg`` panned by ``step`` px per frame, annotations moved along."""
    coco = json.loads((coco_dir / 'test_coco.json').read_text())
    image = cv2.imread(str(coco_dir / '000000196141.jpg'))
    info = next(i for i in coco['images'] if i['id'] == 196141)
    anns = [a for a in coco['annotations'] if a['image_id'] == 196141]
    images, annotations = [], []
    for t in range(frames):
        shift = step * t
        cv2.imwrite(str(folder / f'{t:06d}.jpg'), cv2.warpAffine(image, np.float32([[1, 0, shift], [0, 1, 0]]),
                                                                 image.shape[1::-1]))
        image_id = 1000 + t
        images.append(dict(info, id=image_id, file_name=f'{t:06d}.jpg', vid_id=1, frame_id=image_id,
                           is_labeled=True))
        for ann in anns:
            kpts = np.reshape(ann['keypoints'], (-1, 3)).astype(float)
            kpts[kpts[:, 2] > 0, 0] += shift
            annotations.append(dict(ann, id=ann['id'] * 100 + t, image_id=image_id, keypoints=kpts.ravel().tolist(),
                                    bbox=[ann['bbox'][0] + shift, *ann['bbox'][1:]]))
    path = folder / 'sequence.json'
    path.write_text(json.dumps(dict(coco, images=images, annotations=annotations)))
    return path


def test_det_interval_over_a_sequence(tool, fitted_model, coco_dir, det_dir, tmp_path):
    ann_file = make_sequence(coco_dir, tmp_path)
    common = (ann_file, '--det', det_dir, '--pose', fitted_model['onnx'])
    every = run_tool(tool, tmp_path / 'every', *common, '--det-interval', '1')
    skip = run_tool(tool, tmp_path / 'skip', *common, '--det-interval', '3')
    assert (every['det_frames'], skip['det_frames']) == (6, 2)
    detected = {r['image_id'] for r in json.loads(Path(skip['bbox_file']).read_text())}
    assert detected == {1000, 1003}  # the boxes file holds the detector's frames only
    for name in ('every', 'skip'):  # frames without the detector still have poses (boxes from the previous poses)
        kept = json.loads((tmp_path / name / 'keypoints.keypoints.json').read_text())
        assert {r['image_id'] for r in kept} == set(range(1000, 1006))
    # the head was fitted to ground-truth crops: detector crops score low, but not 0
    assert 0 < every['metrics']['coco/AP'] < 1 and 0 < skip['metrics']['coco/AP'] < 1
    assert every['metrics'] != skip['metrics']


def test_bad_input_is_a_clear_error(tool, coco_dir, tmp_path, capsys):
    broken = tmp_path / 'moved.json'
    coco = json.loads((coco_dir / 'test_coco.json').read_text())
    broken.write_text(json.dumps(coco))
    assert tool.main([str(broken), '--gt-boxes', '--pose', 'x.onnx', '--work-dir', str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert '4 images of' in err and '000000000785.jpg' in err and '--img-dir' in err
    with pytest.raises(SystemExit) as exc:
        tool.parse_args([str(broken), '--gt-boxes', '--pose', 'x.onnx', '--det-interval', '3'])
    assert exc.value.code == 2


def test_unknown_keypoint_count_needs_a_dataset():
    from rtmpose.evaluation.pipeline_metric import load_dataset_meta

    with pytest.raises(ValueError, match='--dataset'):
        load_dataset_meta(None, 21)
    assert load_dataset_meta('ap10k', 17)['dataset_name'] == 'ap10k'
    with pytest.raises(ValueError, match='has 17 keypoints'):
        load_dataset_meta('coco', 133)

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
from tests.tools.conftest import DET_SCORE_THR, mmpose_test

TOOL = REPO_ROOT / 'tools' / 'pipeline_ap.py'
#: The figures of the COCO metric that only the scored keypoints and the scores decide (issue 23). The other four,
#: AP / AR (M) and (L), take each pose's area from the box of all its keypoints (COCO's rule, ``loadRes``), also of
#: those no OKS scores, where a SimCC vector with two nearly equal peaks goes either way with the last float
#: rounding: ONNX Runtime and PyTorch round differently, and so do CPUs. With the torch backend (the network
#: ``mim test`` runs) and our crops equal to MMPose's to the bit, all ten figures are equal.
DEFINED_FIGURES = ('coco/AP', 'coco/AP .5', 'coco/AP .75', 'coco/AR', 'coco/AR .5', 'coco/AR .75')


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
    """ONNX Runtime: the figures the scored keypoints decide; the torch backend (``mim test``'s config and
    checkpoint, on crops equal to MMPose's to the bit): all ten figures."""
    ours = run_tool(tool, tmp_path / 'ours', coco_dir / 'test_coco.json', '--gt-boxes', '--pose', fitted_model['onnx'])
    torch_run = run_tool(tool, tmp_path / 'torch', coco_dir / 'test_coco.json', '--gt-boxes', '--pose',
                         fitted_model['config'], '--pose-checkpoint', fitted_model['checkpoint'], '--backend', 'torch')
    metrics, mmpose_kpts = mmpose_test(fitted_model['config'], fitted_model['checkpoint'], coco_dir, 'test_coco.json',
                                       tmp_path / 'mmpose')
    assert 0.3 < metrics["coco/AP"] < 0.95  # far from a random model's 0 and from a perfect 1
    assert set(ours['metrics']) == set(torch_run['metrics']) == set(metrics)  # the ten figures, printed by both
    for name in DEFINED_FIGURES:
        assert ours['metrics'][name] == pytest.approx(metrics[name], abs=1e-9), name
    assert torch_run['pose_backend'] == 'torch'
    for name in metrics:
        assert torch_run['metrics'][name] == pytest.approx(metrics[name], abs=1e-9), name
    ours_kpts = json.loads((tmp_path / 'ours' / 'keypoints.keypoints.json').read_text())
    assert_same_poses(ours_kpts, mmpose_kpts, 1.0, 0.02)  # ONNX Runtime vs PyTorch: the same peak, within a bin


def mmpose_crops(config: Path, ann_file: Path, bbox_file: Path) -> list[dict]:
    """What ``mim test`` runs the pose model on with ``bbox_file``: per instance of MMPose's ``CocoDataset``, its
    ``img_id``, ``id``, ``bbox`` (1, 4) xyxy and ``img``, the crop of the config's ``val_pipeline`` (BGR uint8)."""
    from mmengine.config import Config
    from mmpose.datasets import CocoDataset
    from mmpose.registry import TRANSFORMS

    transforms = [TRANSFORMS.build(t) for t in Config.fromfile(config).val_pipeline if t['type'] != 'PackPoseInputs']
    dataset = CocoDataset(ann_file=str(ann_file), bbox_file=str(bbox_file), data_root='',
                          data_prefix=dict(img=f'{ann_file.parent}/'), test_mode=True, pipeline=[], lazy_init=False)
    instances = []
    for k in range(len(dataset)):
        results = dataset[k]
        for transform in transforms:
            results = transform(results)
        instances.append(results)
    return instances


def assert_same_boxes_and_crops(config: Path, ann_file: Path, bbox_file: Path) -> None:
    """The boxes our tool crops (:meth:`ImageSet.detection_boxes`) are MMPose's, bit for bit, ids included, and so
    are the crops (issue 23: a float64 warp matrix moved under 1 % of their pixels by up to 5 grey levels)."""
    from rtmpose.evaluation.image_set import ImageSet
    from rtmpose.inference.preprocess import bboxes_to_center_scale, crop_batch
    from rtmpose.media.sources import read_image

    image_set = ImageSet(ann_file)
    ours = image_set.detection_boxes(bbox_file)
    paths = {image.image_id: image.path for image in image_set.images}
    theirs = mmpose_crops(config, ann_file, bbox_file)
    assert len(theirs) == sum(len(found.ids) for found in ours.values()) > 0
    for instance in theirs:
        found = ours[instance['img_id']]
        box = found.boxes[found.ids.index(instance['id'])]
        np.testing.assert_array_equal(box, instance['bbox'][0])
        size = instance['img'].shape[1::-1]
        crop = crop_batch(read_image(paths[instance['img_id']]), *bboxes_to_center_scale(box[None], size, 1.25),
                          size)[0][0]
        np.testing.assert_array_equal(crop, instance['img'])


def test_detector_boxes_round_trip_through_mim_test(tool, fitted_model, coco_dir, det_dir, tmp_path, capsys):
    """The boxes file the tool writes, given to a real ``mim test`` (its own process, as a user runs it), gives the
    ten figures the tool prints; the pose model on the torch backend here (the config and checkpoint ``mim test``
    runs), so that the same crops (compared bit for bit) give the same SimCC vectors.

    Not the keypoints one by one: on crops its head was not fitted to (background, parts of people), a SimCC vector of
    the fitted model can have a second peak within 1e-5 of its maximum (1 of the 7718 vectors of these 227 crops; 40
    within 1e-3), and a batch of another size moves the vectors by 2e-5: which peak wins then depends on the batch
    and the CPU (3 keypoints of 34 poses moved by up to 69 px on an AVX2-only CPU with ONNX Runtime, issue 23). Such
    keypoints lie on no annotated person: no OKS scores them."""
    ours = run_tool(tool, tmp_path / 'ours', coco_dir / 'test_coco.json', '--det', det_dir, '--det-score-thr',
                    str(DET_SCORE_THR), '--pose', fitted_model['config'],
                    '--pose-checkpoint', fitted_model['checkpoint'], '--backend', 'torch')
    assert ours['pose_backend'] == 'torch'
    ours_printed = dict(re.findall(r'^(coco/[^:]+): ([0-9.]+)$', capsys.readouterr().out, re.MULTILINE))
    bbox_file = Path(ours['bbox_file'])
    records = json.loads(bbox_file.read_text())
    assert {tuple(sorted(r)) for r in records} == {('bbox', 'category_id', 'image_id', 'score')}
    assert {r['image_id'] for r in records} == {785, 40083, 196141, 197388}
    assert min(r['score'] for r in records) >= DET_SCORE_THR and ours['poses'] == len(records)
    assert_same_boxes_and_crops(fitted_model['config'], coco_dir / 'test_coco.json', bbox_file)
    work_dir, log = tmp_path / 'mim', tmp_path / 'mim_test.log'
    cmd = mim_test_cmd(fitted_model['checkpoint'], coco_dir, bbox_file, work_dir)
    cmd += ['model.test_cfg.flip_test=False', f'test_evaluator.outfile_prefix={work_dir}/mmpose']
    assert run(cmd, log) == 0, log.read_text()[-3000:]
    metrics = json.loads(next(work_dir.glob('*/*.json')).read_text())  # the test metrics, unrounded
    names = {name for name in metrics if name.startswith('coco/')}
    assert len(names) == 10 and metrics['coco/AP'] > 0.02
    assert set(ours['metrics']) == set(ours_printed) == names
    for name in names:
        assert ours['metrics'][name] == pytest.approx(metrics[name], abs=1e-9), name
        printed = float(re.findall(rf'{re.escape(name)}: ([0-9.]+)', log.read_text())[-1])  # mim test's, rounded
        assert ours_printed[name] == f'{metrics[name]:.4f}' and printed == pytest.approx(metrics[name], abs=1e-4)
    kept = [json.loads(path.read_text()) for path in (tmp_path / 'ours' / 'keypoints.keypoints.json',
                                                       work_dir / 'mmpose.keypoints.json')]
    assert sorted(r['image_id'] for r in kept[0]) == sorted(r['image_id'] for r in kept[1])  # after OKS NMS


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


def test_metric_is_mmposes_after_a_detector_config(coco_dir):
    """A torch detector (``--det`` an mmdet config) leaves mmdet's scope current, whose ``CocoMetric`` scores boxes:
    the keypoint metric is still MMPose's."""
    from mmengine.registry import DefaultScope
    from mmpose.evaluation import CocoMetric

    from rtmpose.evaluation.pipeline_metric import build_metric, load_dataset_meta

    with DefaultScope.overwrite_default_scope('mmdet'):  # current, as after building an mmdet model
        metric = build_metric(coco_dir / 'test_coco.json', load_dataset_meta('coco', 17))
    assert type(metric).__module__.startswith('mmpose') and isinstance(metric, CocoMetric)

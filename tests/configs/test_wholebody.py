"""COCO-WholeBody configs (configs/wholebody/): equal to MMPose's official RTMPose whole-body configs except where
listed; the model trains and flip-tests on 133 keypoints; the test set and CocoWholeBodyMetric score the real
whole-body fixture of ../shared; a short `mim train` runs on it.

Official references: m, l and x are in MMPose's wheel (``wholebody_2d_keypoint/rtmpose/coco-wholebody``). The t and s
configs are only in MMPose's ``projects/rtmpose/rtmpose/wholebody_2d_keypoint`` (not in the wheel); they are the
wheel's m config with the t/s backbone, checkpoint, head width and ``clip_grad=dict(max_norm=35, norm_type=2)``,
which is how the reference for them is made here.
"""
import re

import numpy as np
import pytest

from tests.configs.family import (
    assert_equals_official,
    check_train_step_and_flip_predict,
    evaluate,
    fixture_test_set,
    load,
    model_sizes,
    official,
    official_twin,
    oks_moved,
    our_configs,
    packed_samples,
    size_of,
)
from tests.conftest import require_shared
from tests.engine.conftest import MIM, run

WHEEL = 'wholebody_2d_keypoint/rtmpose/coco-wholebody/'
M_256 = WHEEL + 'rtmpose-m_8xb64-270e_coco-wholebody-256x192.py'
OURS = our_configs('wholebody/rtmpose-*.py')
#: ours with a config in MMPose's wheel; the others (t, s) are only in MMPose's projects/rtmpose
IN_THE_WHEEL = {name: official_twin(name, WHEEL) for name in OURS if official_twin(name, WHEEL)}


@pytest.mark.parametrize('name', sorted(IN_THE_WHEEL))
def test_equals_the_official_config(name):
    # no intended difference besides our family-wide hooks and atomic checkpoints: the official whole-body configs
    # already evaluate on the detector boxes
    cfg = load(name)
    assert_equals_official(cfg, official(IN_THE_WHEEL[name]))
    assert cfg.test_dataloader.dataset.bbox_file.endswith('COCO_val2017_detections_AP_H_56_person.json')


@pytest.mark.parametrize('name', sorted(set(OURS) - set(IN_THE_WHEEL)))
def test_the_others_equal_the_official_project_configs(name):
    # the project configs: the wheel's m config with their size (factors, AIC+COCO checkpoint, head width; the table's
    # rows are MMPose's, checked against the wheel's COCO configs) and gradient clipping
    size = model_sizes()[size_of(name)]
    assert_equals_official(load(name), official(M_256), {
        'model.backbone.deepen_factor': size.backbone.deepen_factor,
        'model.backbone.widen_factor': size.backbone.widen_factor,
        'model.backbone.init_cfg.checkpoint': size.checkpoints.udp_aic_coco,
        'model.head.in_channels': size.head.in_channels,
        'optim_wrapper.clip_grad': dict(max_norm=35, norm_type=2),
    })


def test_tiny_model_trains_and_flip_tests_on_133_keypoints():
    check_train_step_and_flip_predict(load('wholebody/rtmpose-t_coco-wholebody.py'))


def visibility(dataset) -> list[np.ndarray]:
    """``(K,)`` labelled flags of every test instance."""
    return [dataset.get_data_info(i)['keypoints_visible'][0] > 0 for i in range(len(dataset))]


def predictions(dataset) -> list[np.ndarray]:
    """The ground-truth keypoints of every test instance; unlabelled ones at the box centre (inside the box, where
    the whole-body OKS of a part without labels counts a prediction as right)."""
    out = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        kpts = info['keypoints'][0].copy()
        x1, y1, x2, y2 = info['bbox'][0]
        kpts[info['keypoints_visible'][0] <= 0] = [(x1 + x2) / 2, (y1 + y2) / 2]
        out.append(kpts)
    return out


@pytest.fixture(scope='module')
def wholebody_fixture(shared_dir):
    root = require_shared(shared_dir, 'data/coco/test_coco_wholebody.json').parent
    dataset, _ = fixture_test_set(load('wholebody/rtmpose-t_coco-wholebody.py'), root, 'test_coco_wholebody.json')
    return root, packed_samples(dataset), predictions(dataset)


def test_ground_truth_scores_ap_1(wholebody_fixture):
    root, samples, kpts = wholebody_fixture
    _, metric = fixture_test_set(load('wholebody/rtmpose-t_coco-wholebody.py'), root, 'test_coco_wholebody.json')
    assert len(samples) == 12  # the 12 persons with keypoints (2 of the 14 annotations have none)
    results = evaluate(metric, samples, kpts, [1.] * len(samples))
    assert (results['coco-wholebody/AP'], results['coco-wholebody/AR']) == pytest.approx((1., 1.))


def test_every_person_at_oks_0725_scores_ap_one_half(wholebody_fixture):
    # every keypoint moved so that each person's whole-body OKS is 0.725 (unlabelled points at the box centre count
    # as right, as above): matched at the IoU thresholds 0.5 to 0.7, missed at 0.75 to 0.95
    root, samples, kpts = wholebody_fixture
    dataset, metric = fixture_test_set(load('wholebody/rtmpose-t_coco-wholebody.py'), root, 'test_coco_wholebody.json')
    moved = [np.where(info_visible[:, None], shifted, k) for info_visible, shifted, k in
             zip(visibility(dataset), oks_moved(dataset), kpts)]
    results = evaluate(metric, samples, moved)
    assert (results['coco-wholebody/AP'], results['coco-wholebody/AR']) == pytest.approx((0.5, 0.5))


@pytest.mark.slow
def test_mim_train_runs_on_the_wholebody_fixture(shared_dir, tmp_path, monkeypatch):
    monkeypatch.setenv('OMP_NUM_THREADS', '1')  # one torch thread: several times cheaper on the 2 shared cores
    root = require_shared(shared_dir, 'data/coco/test_coco_wholebody.json').parent
    data = [f'{loader}.dataset.{key}' for loader in ('train_dataloader', 'val_dataloader') for key in (
        f'data_root={root}/', 'ann_file=test_coco_wholebody.json', 'data_prefix.img=')]
    options = [*data, 'val_dataloader.dataset.bbox_file=None',
               f'val_evaluator.ann_file={root}/test_coco_wholebody.json', 'model.backbone.init_cfg=None',
               'train_dataloader.batch_size=6', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
               'default_hooks.logger.interval=1', 'param_scheduler.0.end=2']
    options += [f'{loader}.{key}' for loader in ('train_dataloader', 'val_dataloader')
                for key in ('num_workers=0', 'persistent_workers=False')]
    log = tmp_path / 'train.log'
    cmd = [MIM, 'train', 'mmpose', 'configs/wholebody/rtmpose-t_coco-wholebody.py', '--work-dir',
           str(tmp_path / 'wd'), '--cfg-options', *options]
    assert run(cmd, log, timeout=300) == 0, log.read_text()[-3000:]
    text = log.read_text()
    assert len(re.findall(r'Epoch\(train\)\s+\[1\]\[2/2\]', text)) == 1
    assert 0. <= float(re.findall(r'coco-wholebody/AP: ([0-9.]+)', text)[-1]) <= 1.
    assert (tmp_path / 'wd' / 'epoch_1.pth').is_file()

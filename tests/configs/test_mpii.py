"""MPII config (configs/mpii/rtmpose-m_mpii.py): equal to MMPose's official one except where listed; the model trains
and flip-tests on 16 keypoints; the test set, a head-box .mat written here and MpiiPCKAccuracy score the real MPII
fixture of ../shared (PCKh@0.5)."""
import copy
import json

import numpy as np
import pytest
from mmpose.registry import DATASETS, METRICS
from scipy.io import savemat

from rtmpose.testing.reference import scope
from tests.configs.family import (
    assert_equals_official,
    check_train_step_and_flip_predict,
    evaluate,
    load,
    official,
    packed_samples,
)
from tests.conftest import require_shared

NAME = 'mpii/rtmpose-m_mpii.py'
HEAD = 50.  # head-box diagonal of every fixture person: head size 0.6 x 50 = 30 px


def test_equals_the_official_config():
    # intended difference: the official MPII config alone has no fixed seed; ours keeps the family's seed 21 so
    # runs repeat
    assert_equals_official(load(NAME), official('body_2d_keypoint/rtmpose/mpii/rtmpose-m_8xb64-210e_mpii-256x256.py'),
                           {'randomness': dict(seed=21)})


def test_model_trains_and_flip_tests_on_16_keypoints():
    check_train_step_and_flip_predict(load(NAME))


@pytest.fixture(scope='module')
def mpii(shared_dir, tmp_path_factory):
    root = require_shared(shared_dir, 'data/mpii/test_mpii.json').parent
    cfg = load(NAME)
    n = len(json.loads((root / 'test_mpii.json').read_text()))
    headboxes = np.zeros((2, 2, n))
    headboxes[1] = [[30.], [40.]]  # (x2, y2) - (x1, y1) = (30, 40): diagonal 50
    mat = tmp_path_factory.mktemp('mpii') / 'mpii_gt_val.mat'
    savemat(mat, dict(headboxes_src=headboxes))
    dataset_cfg = copy.deepcopy(cfg.test_dataloader.dataset)
    dataset_cfg.update(data_root=f'{root}/', ann_file='test_mpii.json', data_prefix=dict(img=''),
                       headbox_file=str(mat))
    with scope('rtmpose'):
        dataset = DATASETS.build(dataset_cfg)
        metrics = [METRICS.build(cfg.test_evaluator) for _ in range(2)]
    # MPII's joints are 1-based (MATLAB); predictions are 0-based pixels and the metric adds 1
    kpts = [dataset.get_data_info(i)['keypoints'][0] - 1 for i in range(len(dataset))]
    visible = np.stack([dataset.get_data_info(i)['keypoints_visible'][0] > 0 for i in range(len(dataset))])
    return packed_samples(dataset), kpts, visible, metrics


def test_ground_truth_scores_pckh_100(mpii):
    samples, kpts, _, metrics = mpii
    assert evaluate(metrics[0], samples, kpts, [1.] * len(kpts))['PCK'] == pytest.approx(100.)


def test_known_offsets_score_the_hand_computed_pckh(mpii):
    # persons 0, 2, ... moved 0.4 head sizes (12 px, inside the 0.5 threshold), the others 0.6 (18 px, outside):
    # PCKh = visible joints of the even persons / all visible joints, pelvis and thorax (6, 7) left out as MPII does
    samples, kpts, visible, metrics = mpii
    moved = [k + [0.4 * 0.6 * HEAD if i % 2 == 0 else 0.6 * 0.6 * HEAD, 0.] for i, k in enumerate(kpts)]
    counted = np.delete(visible, [6, 7], axis=1)
    expected = 100. * counted[0::2].sum() / counted.sum()
    assert evaluate(metrics[1], samples, moved, [1.] * len(kpts))['PCK'] == pytest.approx(expected)

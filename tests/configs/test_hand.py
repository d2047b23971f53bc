"""COCO-WholeBody-Hand config (configs/hand/rtmpose-m_coco-wholebody-hand.py): equal to MMPose's official one except for
our family-wide hooks and atomic checkpoints; the model trains and flip-tests on 21 keypoints; PCK@0.2, AUC and EPE
score the hands of the real whole-body fixture of ../shared."""
import numpy as np
import pytest

from tests.configs.family import (
    assert_equals_official,
    check_train_step_and_flip_predict,
    evaluate,
    fixture_test_set,
    ground_truth,
    load,
    official,
    packed_samples,
)
from tests.conftest import require_shared

NAME = 'hand/rtmpose-m_coco-wholebody-hand.py'


def test_equals_the_official_config():
    cfg = load(NAME)
    assert_equals_official(cfg, official(
        'hand_2d_keypoint/rtmpose/coco_wholebody_hand/rtmpose-m_8xb32-210e_coco-wholebody-hand-256x256.py'))
    steps = [t['type'] for t in cfg.train_dataloader.dataset.pipeline]
    assert 'RandomHalfBody' not in steps and steps.index('RandomBBoxTransform') < steps.index('RandomFlip')


def test_model_trains_and_flip_tests_on_21_keypoints():
    check_train_step_and_flip_predict(load(NAME))


@pytest.fixture(scope='module')
def hands(shared_dir):
    root = require_shared(shared_dir, 'data/coco/test_coco_wholebody.json').parent
    dataset, _ = fixture_test_set(load(NAME), root, 'test_coco_wholebody.json')
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    return root, packed_samples(dataset), ground_truth(dataset), infos


def test_ground_truth_scores_pck_1_and_epe_0(hands):
    root, samples, kpts, _ = hands
    _, metrics = fixture_test_set(load(NAME), root, 'test_coco_wholebody.json')
    assert len(samples) == 10  # the labelled hands of the 12 persons
    results = evaluate(metrics, samples, kpts)
    # AUC averages PCK at the thresholds i / 20 x 30 px, i = 0..19: at threshold 0 nothing is closer, so 19 / 20
    assert (results['PCK'], results['AUC'], results['EPE']) == pytest.approx((1., 19 / 20, 0.))


def test_a_5_pixel_offset_scores_the_hand_computed_values(hands):
    # every keypoint moved (3, 4): 5 px. EPE = 5. AUC (thresholds i / 20 of 30 px, i = 0..19): right from
    # 5 / 30 < i / 20, i >= 4, so 16 / 20. PCK@0.2: right where 5 px < 0.2 x the longer side of the hand box (3 of the
    # 10 fixture hands are that large), averaged per keypoint over the hands that label it, then over keypoints
    root, samples, kpts, infos = hands
    _, metrics = fixture_test_set(load(NAME), root, 'test_coco_wholebody.json')
    results = evaluate(metrics, samples, [k + [3., 4.] for k in kpts])
    hit = np.array([5. < 0.2 * max(info['bbox'][0][2:] - info['bbox'][0][:2]) for info in infos])
    visible = np.stack([info['keypoints_visible'][0] > 0 for info in infos])
    per_keypoint = [hit[visible[:, j]].mean() for j in range(visible.shape[1]) if visible[:, j].any()]
    assert 0 < hit.sum() < len(hit)
    assert results['EPE'] == pytest.approx(5., abs=1e-4)
    assert results['AUC'] == pytest.approx(16 / 20)
    assert results['PCK'] == pytest.approx(np.mean(per_keypoint))

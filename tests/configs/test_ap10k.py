"""AP-10K config (configs/ap10k/rtmpose-m_ap10k.py): equal to MMPose's official one except for our family-wide hooks and
atomic checkpoints; the model trains and flip-tests on 17 animal keypoints; the test set and CocoMetric score the real
AP-10K fixture of ../shared."""
import pytest

from tests.configs.family import (
    assert_equals_official,
    check_train_step_and_flip_predict,
    evaluate,
    fixture_test_set,
    load,
    official,
    oks_moved,
    shared_fixture,
)

NAME = 'ap10k/rtmpose-m_ap10k.py'


def test_equals_the_official_config():
    cfg = load(NAME)
    assert_equals_official(cfg, official('animal_2d_keypoint/rtmpose/ap10k/rtmpose-m_8xb64-210e_ap10k-256x256.py'))
    assert cfg.test_dataloader.dataset.ann_file.endswith('test-split1.json')  # separate val and test sets
    assert cfg.val_dataloader.dataset.ann_file.endswith('val-split1.json')


def test_model_trains_and_flip_tests_on_17_animal_keypoints():
    check_train_step_and_flip_predict(load(NAME))


@pytest.fixture(scope='module')
def ap10k(shared_dir):
    return shared_fixture(load(NAME), shared_dir, 'ap10k/test_ap10k.json')


def test_ground_truth_scores_ap_1(ap10k):
    root, samples, kpts = ap10k
    _, metric = fixture_test_set(load(NAME), root, 'test_ap10k.json')
    assert evaluate(metric, samples, kpts, [1.] * len(kpts))['coco/AP'] == pytest.approx(1.)


def test_every_animal_at_oks_0725_scores_ap_one_half(ap10k):
    root, samples, _ = ap10k
    dataset, metric = fixture_test_set(load(NAME), root, 'test_ap10k.json')
    results = evaluate(metric, samples, oks_moved(dataset))
    assert (results['coco/AP'], results['coco/AR']) == pytest.approx((0.5, 0.5))

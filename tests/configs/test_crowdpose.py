"""CrowdPose config (configs/crowdpose/rtmpose-m_crowdpose.py): equal to MMPose's official one except for our
family-wide hooks and atomic checkpoints (it already tests on the YOLOv3 boxes); the model trains and flip-tests on 14
keypoints; the crowd-index CocoMetric scores the real CrowdPose fixture of ../shared."""
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
from tests.conftest import require_shared

NAME = 'crowdpose/rtmpose-m_crowdpose.py'


def test_equals_the_official_config():
    cfg = load(NAME)
    assert_equals_official(
        cfg, official('body_2d_keypoint/rtmpose/crowdpose/rtmpose-m_8xb64-210e_crowdpose-256x192.py'))
    assert cfg.test_dataloader.dataset.bbox_file.endswith('det_for_crowd_test_0.1_0.5.json')


def test_model_trains_and_flip_tests_on_14_keypoints():
    check_train_step_and_flip_predict(load(NAME))


@pytest.fixture(scope='module')
def crowdpose(shared_dir):
    return shared_fixture(load(NAME), shared_dir, 'crowdpose/test_crowdpose.json')


def test_ground_truth_scores_ap_1(crowdpose):
    root, samples, kpts = crowdpose
    _, metric = fixture_test_set(load(NAME), root, 'test_crowdpose.json')
    results = evaluate(metric, samples, kpts, [1.] * len(kpts))
    assert results['crowdpose/AP'] == pytest.approx(1.) and results['crowdpose/AR'] == pytest.approx(1.)


def test_every_person_at_oks_0725_scores_ap_one_half(crowdpose):
    # use_area=False: CrowdPose's OKS scales by the box area
    root, samples, _ = crowdpose
    dataset, metric = fixture_test_set(load(NAME), root, 'test_crowdpose.json')
    results = evaluate(metric, samples, oks_moved(dataset, use_area=False))
    assert (results['crowdpose/AP'], results['crowdpose/AR']) == pytest.approx((0.5, 0.5))


def test_detector_boxes_of_the_fixture_load(shared_dir):
    root = require_shared(shared_dir, 'data/crowdpose/test_crowdpose_det_AP_40.json').parent
    dataset, _ = fixture_test_set(load(NAME), root, 'test_crowdpose.json', 'test_crowdpose_det_AP_40.json')
    assert len(dataset) > 0 and all(dataset.get_data_info(i)['bbox_score'][0] > 0 for i in range(len(dataset)))

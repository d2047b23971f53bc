"""Face configs (configs/face/): LaPa, WFLW and COCO-WholeBody-Face RTMPose-m equal MMPose's official configs except
for our family-wide hooks and atomic checkpoints; the model trains and flip-tests on 106 / 98 / 68 landmarks; the
NME normalised by the outer eye corners scores the real face fixtures of ../shared."""
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

WHEEL = 'face_2d_keypoint/rtmpose/'
#: our config: (official config, fixture annotation file under ../shared/data, outer eye corners of its metainfo)
FACES = {
    'face/rtmpose-m_lapa.py': (WHEEL + 'lapa/rtmpose-m_8xb64-120e_lapa-256x256.py', 'lapa/test_lapa.json', (66, 79)),
    'face/rtmpose-m_wflw.py': (WHEEL + 'wflw/rtmpose-m_8xb64-60e_wflw-256x256.py', 'wflw/test_wflw.json', (60, 72)),
    'face/rtmpose-m_coco-wholebody-face.py': (
        WHEEL + 'coco_wholebody_face/rtmpose-m_8xb32-60e_coco-wholebody-face-256x256.py',
        'coco/test_coco_wholebody.json', (36, 45)),
}


@pytest.mark.parametrize('name', sorted(FACES))
def test_equals_the_official_config(name):
    assert_equals_official(load(name), official(FACES[name][0]))


@pytest.mark.parametrize('name', ['face/rtmpose-m_lapa.py'])
def test_model_trains_and_flip_tests_on_106_landmarks(name):
    # one build for the family: the three configs differ only in the head's keypoint count (checked above)
    check_train_step_and_flip_predict(load(name))


@pytest.mark.parametrize('name', sorted(FACES))
def test_ground_truth_scores_nme_0_and_a_10_pixel_offset_the_hand_computed_nme(name, shared_dir):
    _, fixture, (left, right) = FACES[name]
    path = require_shared(shared_dir, f'data/{fixture}')
    cfg = load(name)
    dataset, metric = fixture_test_set(cfg, path.parent, path.name)
    samples, kpts = packed_samples(dataset), ground_truth(dataset)
    assert len(samples) > 0 and kpts[0].shape == (cfg.model.head.out_channels, 2)
    assert evaluate(metric, samples, kpts)['NME'] == pytest.approx(0.)
    # every landmark moved (6, 8): 10 px, so NME = mean over faces of 10 / (distance of the outer eye corners)
    expected = np.mean([10. / np.linalg.norm(k[left] - k[right]) for k in kpts])
    _, metric = fixture_test_set(cfg, path.parent, path.name)
    assert evaluate(metric, samples, [k + [6., 8.] for k in kpts])['NME'] == pytest.approx(expected)

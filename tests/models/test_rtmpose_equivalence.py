"""Whole RTMPose-t/s/m/l models built from our configs equal MMPose's reference models for the same weights.

Ours: ``configs/rtmpose-{arch}_coco.py`` built in the ``rtmpose`` scope (our head, codec, loss). Reference: the same
config built in the ``mmpose`` scope (MMPose's RTMCCHead, SimCCLabel, KLDiscretLoss).
"""
import numpy as np
import pytest
import torch
from mmpose.datasets.datasets.utils import parse_pose_metainfo

from rtmpose.testing.equivalence_inputs import flip_indices, image_batch, predict_samples
from rtmpose.testing.reference import model_pair
from tests.paths import CONFIGS

ARCHS = ['t', 's', 'm', 'l']


@pytest.fixture(scope='module', params=ARCHS)
def pair(request):
    ours, ref = model_pair(CONFIGS / f'rtmpose-{request.param}_coco.py')
    assert type(ours.head).__module__.startswith('rtmpose.'), type(ours.head)
    assert type(ref.head).__module__.startswith('mmpose.'), type(ref.head)
    assert type(ours.head.decoder).__module__.startswith('rtmpose.')
    assert type(ours.head.loss_module).__module__.startswith('rtmpose.')
    return ours.eval(), ref.eval()


def test_samples_carry_mmposes_coco_flip_indices():
    expected = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/coco.py'))['flip_indices']
    assert flip_indices() == expected
    assert all(sample.flip_indices == expected for sample in predict_samples(2))


def test_state_dicts_have_the_same_keys_and_shapes(pair):
    ours, ref = pair
    a, b = ours.state_dict(), ref.state_dict()
    assert list(a) == list(b)
    assert all(a[k].shape == b[k].shape for k in a)


def test_simcc_outputs_match(pair):
    ours, ref = pair
    x = image_batch(4)
    with torch.no_grad():
        out_o = ours.head(ours.extract_feat(x))
        out_r = ref.head(ref.extract_feat(x))
    assert out_o[0].shape == (4, 17, 384) and out_o[1].shape == (4, 17, 512)
    for o, r in zip(out_o, out_r):
        torch.testing.assert_close(o, r, atol=1e-5, rtol=0)


@pytest.mark.parametrize('flip_test', [False, True])
def test_predict_matches(pair, flip_test):
    ours, ref = pair
    x = image_batch(3, seed=1)
    results = []
    for model in (ours, ref):
        model.test_cfg['flip_test'] = flip_test
        with torch.no_grad():
            results.append(model.predict(x, predict_samples(3)))
    for o, r in zip(*results):
        np.testing.assert_array_equal(o.pred_instances.keypoints, r.pred_instances.keypoints)
        np.testing.assert_allclose(o.pred_instances.keypoint_scores, r.pred_instances.keypoint_scores, atol=1e-5)
        assert o.pred_instances.keypoints.shape == (1, 17, 2)

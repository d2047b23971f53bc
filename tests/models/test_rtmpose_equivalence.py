"""Whole RTMPose-t/s/m/l models built from our configs equal MMPose's reference models for the same weights.

Ours: ``configs/rtmpose-{arch}_coco.py`` built in the ``rtmpose`` scope (our head, codec, loss). Reference: the same
config built in the ``mmpose`` scope (MMPose's RTMCCHead, SimCCLabel, KLDiscretLoss).
"""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmpose.structures import PoseDataSample

from tests.reference import model_pair

ARCHS = ['t', 's', 'm', 'l']
FLIP_INDICES = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]


def data_samples(n: int) -> list[PoseDataSample]:
    samples = []
    for i in range(n):
        sample = PoseDataSample(metainfo=dict(
            flip_indices=FLIP_INDICES, input_size=(192, 256), input_center=np.array([300. + 10 * i, 200.]),
            input_scale=np.array([240., 320.]), id=i, img_id=i))
        sample.gt_instances = InstanceData(bboxes=np.array([[200., 50., 400., 350.]]), bbox_scores=np.ones(1))
        samples.append(sample)
    return samples


def images(n: int, seed: int = 0) -> torch.Tensor:
    """A normalised image batch (B, 3, 256, 192) with some structure (not only noise)."""
    g = torch.Generator().manual_seed(seed)
    base = torch.randn(n, 3, 8, 6, generator=g)
    return torch.nn.functional.interpolate(base, size=(256, 192), mode='bilinear') + 0.3 * torch.randn(
        n, 3, 256, 192, generator=g)


@pytest.fixture(scope='module', params=ARCHS)
def pair(request):
    ours, ref = model_pair(request.param)
    assert type(ours.head).__module__.startswith('rtmpose.'), type(ours.head)
    assert type(ref.head).__module__.startswith('mmpose.'), type(ref.head)
    assert type(ours.head.decoder).__module__.startswith('rtmpose.')
    assert type(ours.head.loss_module).__module__.startswith('rtmpose.')
    return ours.eval(), ref.eval()


def test_state_dicts_have_the_same_keys_and_shapes(pair):
    ours, ref = pair
    a, b = ours.state_dict(), ref.state_dict()
    assert list(a) == list(b)
    assert all(a[k].shape == b[k].shape for k in a)


def test_simcc_outputs_match(pair):
    ours, ref = pair
    x = images(4)
    with torch.no_grad():
        out_o = ours.head(ours.extract_feat(x))
        out_r = ref.head(ref.extract_feat(x))
    assert out_o[0].shape == (4, 17, 384) and out_o[1].shape == (4, 17, 512)
    for o, r in zip(out_o, out_r):
        torch.testing.assert_close(o, r, atol=1e-5, rtol=0)


@pytest.mark.parametrize('flip_test', [False, True])
def test_predict_matches(pair, flip_test):
    ours, ref = pair
    x = images(3, seed=1)
    results = []
    for model in (ours, ref):
        model.test_cfg['flip_test'] = flip_test
        with torch.no_grad():
            results.append(model.predict(x, data_samples(3)))
    for o, r in zip(*results):
        np.testing.assert_array_equal(o.pred_instances.keypoints, r.pred_instances.keypoints)
        np.testing.assert_allclose(o.pred_instances.keypoint_scores, r.pred_instances.keypoint_scores, atol=1e-5)
        assert o.pred_instances.keypoints.shape == (1, 17, 2)

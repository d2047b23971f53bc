"""SimCCLabel: equal to MMPose's codec on real and random keypoints; decode inverts encode; bad input."""
import numpy as np
import pytest
import torch
from mmpose.registry import KEYPOINT_CODECS

from rtmpose.testing.equivalence_inputs import CODEC_SETTINGS, coco_person_crops, random_keypoints
from rtmpose.testing.reference import build, codec_pair


def setting_id(setting: dict) -> str:
    return '-'.join(f'{k}={v}' for k, v in setting.items() if k != 'input_size')


def assert_encoded_equal(ours: dict, ref: dict) -> float:
    worst = 0.0
    for key in ('keypoint_x_labels', 'keypoint_y_labels', 'keypoint_weights'):
        assert ours[key].shape == ref[key].shape, key
        diff = float(np.abs(ours[key].astype(np.float64) - ref[key]).max(initial=0))
        assert diff <= 1e-6, (key, diff)
        worst = max(worst, diff)
    return worst


@pytest.mark.parametrize('setting', CODEC_SETTINGS, ids=setting_id)
def test_encode_matches_mmpose_on_random_keypoints(setting):
    ours, ref = codec_pair(**setting)
    kpts, vis = random_keypoints(np.random.default_rng(0), n=6, k=17, input_size=setting['input_size'])
    assert_encoded_equal(ours.encode(kpts, vis), ref.encode(kpts.copy(), vis.copy()))
    assert_encoded_equal(ours.encode(kpts), ref.encode(kpts.copy()))


@pytest.mark.parametrize('setting', CODEC_SETTINGS[:4])
def test_encode_matches_mmpose_on_real_coco_annotations(shared_dir, setting):
    ours, ref = codec_pair(**setting)
    kpts, vis = coco_person_crops(shared_dir / 'data/coco/test_coco.json')
    assert kpts.shape == (12, 17, 2)
    encoded = ours.encode(kpts, vis)
    assert_encoded_equal(encoded, ref.encode(kpts.copy(), vis.copy()))
    assert encoded['keypoint_weights'].sum() > 0


def test_outside_and_invisible_keypoints_get_zero_label_or_weight():
    ours, _ = codec_pair(input_size=(192, 256), sigma=(4.9, 5.66))
    kpts = np.array([[[96, 128], [-100, 128], [96, 900], [500, 128], [-5, 128], [96, 128]]], dtype=np.float64)
    vis = np.array([[1, 1, 1, 1, 1, 0]], dtype=np.float32)
    enc = ours.encode(kpts, vis)
    np.testing.assert_array_equal(enc['keypoint_weights'], [[1, 0, 0, 0, 1, 0]])
    # -5 px is bin -10: outside the crop, but its 3-sigma tail (14.7 bins) reaches in, so it keeps its weight
    assert enc['keypoint_x_labels'][0, 5].max() == 0  # invisible -> empty label
    assert enc['keypoint_x_labels'][0, 0].argmax() == 192 and enc['keypoint_y_labels'][0, 0].argmax() == 256


@pytest.mark.parametrize('setting', CODEC_SETTINGS, ids=setting_id)
def test_decode_matches_mmpose(setting):
    ours, ref = codec_pair(**setting)
    rng = np.random.default_rng(1)
    wx, wy = (int(s * setting['simcc_split_ratio']) for s in setting['input_size'])
    # smooth peaked vectors (as a trained network gives) plus noise and some all-negative rows
    x = np.exp(-(np.arange(wx) - rng.uniform(0, wx, (4, 17, 1)))**2 / 50) + 0.05 * rng.standard_normal((4, 17, wx))
    y = np.exp(-(np.arange(wy) - rng.uniform(0, wy, (4, 17, 1)))**2 / 50) + 0.05 * rng.standard_normal((4, 17, wy))
    x[0, 0] -= 5
    x, y = x.astype(np.float32), y.astype(np.float32)
    k_ours, s_ours = ours.decode(x, y)
    k_ref, s_ref = ref.decode(x.copy(), y.copy())
    np.testing.assert_allclose(k_ours, k_ref, atol=1e-4)
    np.testing.assert_allclose(s_ours, s_ref, atol=1e-6)
    # single instance (K, W) input -> (1, K, 2)
    k1, s1 = ours.decode(x[1], y[1])
    assert k1.shape == (1, 17, 2) and s1.shape == (1, 17)


def test_decode_visibility_matches_mmpose():
    ours, ref = codec_pair(input_size=(192, 256), sigma=(4.9, 5.66), decode_visibility=True)
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((2, 17, 384)).astype(np.float32), rng.standard_normal((2, 17, 512)).astype(np.float32)
    (k_o, (s_o, v_o)), (k_r, (s_r, v_r)) = ours.decode(x, y), ref.decode(x.copy(), y.copy())
    np.testing.assert_allclose(k_o, k_r)
    np.testing.assert_allclose(s_o, s_r, atol=1e-6)
    np.testing.assert_allclose(v_o, v_r, atol=1e-6)


@pytest.mark.parametrize('setting', CODEC_SETTINGS, ids=setting_id)
def test_decode_inverts_encode_within_half_a_bin(setting):
    ours, _ = codec_pair(**setting)
    w, h = setting['input_size']
    # DARK's Taylor step (as in MMPose) is unstable where the Gaussian is cut by the border: keep those keypoints
    # 3 sigma inside; without DARK the whole input is used
    margin = 3 * np.asarray(setting.get('sigma', 6.0)) / setting['simcc_split_ratio'] if setting.get('use_dark') else 0
    kpts = np.random.default_rng(3).uniform(margin, np.array([w - 1, h - 1]) - margin, size=(5, 17, 2))
    enc = ours.encode(kpts)
    decoded, scores = ours.decode(enc['keypoint_x_labels'], enc['keypoint_y_labels'])
    half_bin = 0.5 / setting['simcc_split_ratio']
    err = np.abs(decoded - kpts).max()
    assert err <= half_bin + 1e-6, err
    assert (scores > 0).all()


def test_batch_decode_matches_per_sample_decode():
    ours, ref = codec_pair(input_size=(192, 256), sigma=(4.9, 5.66), normalize=False)
    x, y = torch.randn(3, 17, 384), torch.randn(3, 17, 512)
    kpts, scores = ours.batch_decode(x, y)
    for i in range(3):
        k_ref, s_ref = ref.decode(x[i].numpy(), y[i].numpy())
        np.testing.assert_array_equal(kpts[i], k_ref)
        np.testing.assert_allclose(scores[i], s_ref)


@pytest.mark.parametrize('call, message', [
    (lambda c: c.encode(np.zeros((17, 2))), 'must have 3 dimensions'),
    (lambda c: c.encode(np.zeros((1, 17, 3))), r'shape \(N, K, 2\)'),
    (lambda c: c.encode([[[1, 2]]]), 'must be a numpy.ndarray'),
    (lambda c: c.encode(np.zeros((1, 17, 2)), np.ones((1, 16))), r'keypoints_visible must have shape \(N, K\)'),
    (lambda c: c.encode(np.zeros((1, 17, 2), dtype=object)), 'must hold real numbers'),
    (lambda c: c.decode(np.zeros((17, 384)), np.zeros((17, 500))), 'simcc_y must have 512 bins'),
    (lambda c: c.decode(np.zeros((2, 17, 384)), np.zeros((3, 17, 512))), 'share their leading'),
    (lambda c: c.decode(np.zeros((384, )), np.zeros((512, ))), 'must have 2 or 3 dimensions'),
    (lambda c: c.batch_decode(torch.zeros(17, 384), torch.zeros(17, 512)), r'\(B, K, bins\)'),
])
def test_bad_input_raises_value_error(call, message):
    ours, _ = codec_pair(input_size=(192, 256), sigma=(4.9, 5.66))
    with pytest.raises(ValueError, match=message):
        call(ours)


@pytest.mark.parametrize('kwargs, message', [
    (dict(input_size=(192, )), 'input_size'),
    (dict(input_size=(192, 256), smoothing_type='laplace'), 'smoothing_type'),
    (dict(input_size=(192, 256), label_smooth_weight=0.1), 'is only used for `standard` mode'),
    (dict(input_size=(192, 256), sigma=-1), 'sigma must be positive'),
])
def test_bad_arguments_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        codec_pair(**kwargs)


@pytest.mark.parametrize('kwargs', [
    dict(smoothing_type='uniform'),
    dict(smoothing_type='uniform', label_smooth_weight=2.0),
    dict(smoothing_type='standard', label_smooth_weight=1.1),
    dict(smoothing_type='standard', label_smooth_weight=-0.1),
    dict(smoothing_type='gaussian', label_smooth_weight=0.1),
    dict(smoothing_type='gaussian', label_smooth_weight=1.1),
], ids=str)
def test_argument_errors_are_mmposes_word_for_word(kwargs):
    """Users match on MMPose's messages: same check order, same text."""
    messages = []
    for scope_name in ('rtmpose', 'mmpose'):
        with pytest.raises(ValueError) as error:
            build(KEYPOINT_CODECS, dict(type='SimCCLabel', input_size=(192, 256), **kwargs), scope_name)
        messages.append(str(error.value))
    assert messages[0] == messages[1]

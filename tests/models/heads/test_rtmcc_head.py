"""RTMCCHead unit behaviour: shapes, loss and accuracy keys, heatmap output, and clear errors for bad input."""
import pytest
import torch

from rtmpose.models.heads import RTMCCHead

CODEC = dict(type='SimCCLabel', input_size=(192, 256), sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=False)


def head(**kwargs) -> RTMCCHead:
    cfg = dict(in_channels=64, out_channels=17, input_size=(192, 256), in_featuremap_size=(6, 8),
               final_layer_kernel_size=7, gau_cfg=dict(hidden_dims=32, s=16, act_fn='SiLU'), decoder=CODEC)
    cfg.update(kwargs)
    return RTMCCHead(**cfg)


def test_forward_shapes():
    x, y = head()((torch.randn(2, 64, 8, 6), ))
    assert x.shape == (2, 17, 384) and y.shape == (2, 17, 512)


def test_predict_with_heatmaps():
    from mmpose.structures import PoseDataSample
    h = head().eval()
    samples = [PoseDataSample(metainfo=dict(flip_indices=list(range(17))))]
    preds, fields = h.predict((torch.randn(1, 64, 8, 6), ), samples, dict(output_heatmaps=True))
    assert preds[0].keypoints.shape == (1, 17, 2)
    assert fields[0].heatmaps.shape == (17, 512, 384)
    assert preds[0].keypoint_x_labels.shape == (1, 17, 384)


@pytest.mark.parametrize('feats, message', [
    ((torch.randn(2, 32, 8, 6), ), r'\(B, 64, 8, 6\)'),
    ((torch.randn(2, 64, 6, 8), ), r'\(B, 64, 8, 6\)'),
    ((torch.randn(2, 64, 48), ), r'\(B, 64, 8, 6\)'),
    ((torch.zeros(2, 64, 8, 6, dtype=torch.long), ), 'float tensor'),
    (([1, 2, 3], ), 'tensor'),
])
def test_bad_feature_maps_raise_value_error(feats, message):
    with pytest.raises(ValueError, match=message):
        head()(feats)


def test_multiple_in_channels_rejected():
    with pytest.raises(ValueError, match='does not support selecting multiple input features'):
        head(in_channels=[64, 128])


def test_flip_test_needs_two_feature_sets():
    from mmpose.structures import PoseDataSample
    samples = [PoseDataSample(metainfo=dict(flip_indices=list(range(17))))]
    with pytest.raises(ValueError, match=r'flip_test expects .*got a tuple of 1'):
        head().predict((torch.randn(1, 64, 8, 6), ), samples, dict(flip_test=True))


def test_flip_test_error_is_also_mmposes_assertion_error():
    """MMPose asserts on the flip-test ``feats``: code written against MMPose catches AssertionError."""
    from mmengine.registry import DefaultScope
    from mmpose.models.heads import RTMCCHead as RefHead
    from mmpose.structures import PoseDataSample
    samples = [PoseDataSample(metainfo=dict(flip_indices=list(range(17))))]
    feats = [torch.randn(1, 64, 8, 6)]
    with pytest.raises(AssertionError, match=r'flip_test expects .*got a list of 1'):
        head().predict(feats, samples, dict(flip_test=True))
    with DefaultScope.overwrite_default_scope('mmpose'):  # another test may leave mmdet's scope current
        ref = RefHead(in_channels=64, out_channels=17, input_size=(192, 256), in_featuremap_size=(6, 8),
                      gau_cfg=dict(hidden_dims=32, s=16, expansion_factor=2, dropout_rate=0., drop_path=0.,
                                   act_fn='SiLU', use_rel_bias=False, pos_enc=False), decoder=CODEC)
    with pytest.raises(AssertionError):
        ref.predict(feats, samples, dict(flip_test=True))


def test_builds_own_modules_under_another_default_scope():
    """mmdet's inference APIs leave ``mmdet`` as the current default scope; the head must still find our loss/codec."""
    from mmengine.registry import DefaultScope

    from rtmpose.codecs import SimCCLabel
    from rtmpose.models.losses import KLDiscretLoss
    with DefaultScope.overwrite_default_scope('mmdet'):
        h = head()
    assert type(h.loss_module) is KLDiscretLoss and type(h.decoder) is SimCCLabel

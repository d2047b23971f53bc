"""RTMCCBlock, ScaleNorm, Scale and rope: same parameters and same outputs as MMPose's for the same weights."""
import pytest
import torch
from mmpose.models.utils import rtmcc_block as ref_block
from mmpose.models.utils.transformer import ScaleNorm as RefScaleNorm
from torch import nn

from rtmpose.models.layers import RTMCCBlock, Scale, ScaleNorm, rope

VARIANTS = [
    dict(attn_type='self-attn', act_fn='SiLU', use_rel_bias=False, pos_enc=False),
    dict(attn_type='self-attn', act_fn='ReLU', use_rel_bias=True, pos_enc=False),
    dict(attn_type='self-attn', act_fn='SiLU', use_rel_bias=True, pos_enc=True, bias=True),
    dict(attn_type='self-attn', act_fn='SiLU', use_rel_bias=False, pos_enc=False, out=128),
    dict(attn_type='cross-attn', act_fn='SiLU', use_rel_bias=True, pos_enc=True),
    dict(attn_type='cross-attn', act_fn='ReLU', use_rel_bias=False, pos_enc=False),
]


@pytest.mark.parametrize('variant', VARIANTS, ids=str)
def test_block_matches_mmpose(variant):
    variant = dict(variant)
    out_dims = variant.pop('out', 256)
    torch.manual_seed(0)
    ref = ref_block.RTMCCBlock(17, 256, out_dims, s=128, expansion_factor=2, **variant).eval()
    ours = RTMCCBlock(17, 256, out_dims, s=128, expansion_factor=2, **variant).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(3, 17, 256)
    inputs = (x, torch.randn(3, 9, 256), torch.randn(3, 9, 256)) if variant['attn_type'] == 'cross-attn' else x
    with torch.no_grad():
        torch.testing.assert_close(ours(inputs), ref(inputs), atol=1e-5, rtol=0)


def test_relative_position_bias_is_toeplitz_like_mmpose():
    torch.manual_seed(0)
    ref = ref_block.RTMCCBlock(17, 64, 64, s=32, use_rel_bias=True)
    ours = RTMCCBlock(17, 64, 64, s=32, use_rel_bias=True)
    ours.load_state_dict(ref.state_dict())
    for length in (17, 9, 2):
        torch.testing.assert_close(ours.rel_pos_bias(length), ref.rel_pos_bias(length))


@pytest.mark.parametrize('shape, dim', [((2, 17, 128), 1), ((2, 17, 2, 128), 1), ((5, 64), 0), ((2, 3, 4, 8), [1, 2])])
def test_rope_matches_mmpose(shape, dim):
    x = torch.randn(shape)
    ours, ref = rope(x, dim), ref_block.rope(x, dim)
    assert ours.shape == x.shape  # MMPose's adds a leading 1 to 2-D inputs
    torch.testing.assert_close(ours, ref.reshape(x.shape))


def test_scale_norm_and_scale():
    x = torch.randn(4, 17, 48) * 10
    ours, ref = ScaleNorm(48), RefScaleNorm(48)
    ref.g.data.fill_(1.7)
    ours.load_state_dict(ref.state_dict(), strict=True)
    torch.testing.assert_close(ours(x), ref(x))
    torch.testing.assert_close(ours(torch.zeros(2, 48)), torch.zeros(2, 48))  # eps keeps zeros finite
    scale, ref_scale = Scale(48, 0.5), ref_block.Scale(48, 0.5)
    torch.testing.assert_close(scale(x), ref_scale(x))


def test_training_mode_drop_path_and_dropout_run_and_differ_from_eval():
    torch.manual_seed(0)
    block = RTMCCBlock(17, 64, 64, s=32, dropout_rate=0.5, drop_path=0.5).train()
    x = torch.randn(8, 17, 64)
    y_train = block(x)
    y_eval = block.eval()(x)
    assert y_train.shape == y_eval.shape == x.shape and not torch.allclose(y_train, y_eval)


@pytest.mark.parametrize('kwargs, message', [(dict(attn_type='linear'), 'attn_type'), (dict(act_fn='GELU'), 'act_fn')])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RTMCCBlock(17, 64, 64, **kwargs)


@pytest.mark.parametrize('act_fn', ['GELU', nn.GELU])
def test_bad_activation_is_also_mmposes_not_implemented_error(act_fn):
    with pytest.raises(NotImplementedError, match="act_fn must be 'SiLU' or 'ReLU'"):
        RTMCCBlock(17, 64, 64, act_fn=act_fn)
    with pytest.raises(NotImplementedError):
        ref_block.RTMCCBlock(17, 64, 64, act_fn=act_fn)


@pytest.mark.parametrize('attn_type', ['self-attn', 'cross-attn'])
def test_same_seed_gives_mmposes_initial_weights(attn_type):
    torch.manual_seed(3)
    ref = ref_block.RTMCCBlock(17, 64, 64, s=32, attn_type=attn_type, use_rel_bias=True)
    torch.manual_seed(3)
    ours = RTMCCBlock(17, 64, 64, s=32, attn_type=attn_type, use_rel_bias=True)
    assert list(ours.state_dict()) == list(ref.state_dict())
    for key, value in ref.state_dict().items():
        torch.testing.assert_close(ours.state_dict()[key], value, rtol=0, atol=0, msg=key)

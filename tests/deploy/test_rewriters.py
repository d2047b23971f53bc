"""Our MMDeploy rewriters: registered for our class paths, same function as the eager code, FP16-safe ScaleNorm."""
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmdeploy.core import FUNCTION_REWRITER, RewriterContext
from mmdeploy.core.rewriters.rewriter_utils import BackendChecker
from mmengine.config import Config

from rtmpose.codecs import SimCCLabel, simcc_decode
from rtmpose.deploy.rewriters.rtmcc_block_ncnn import rtmcc_block___forward__ncnn
from rtmpose.deploy.rewriters.scale_ncnn import scale__forward__ncnn
from rtmpose.deploy.rewriters.scale_norm_fp16_safe import scale_norm__forward__fp16_safe
from rtmpose.deploy.rewriters.simcc_decode_graph import simcc_decode_graph
from rtmpose.models import RTMCCBlock, RTMCCHead, Scale, ScaleNorm
from tests.paths import REPO_ROOT


def test_import_rtmpose_does_not_import_mmdeploy():
    code = 'import sys, rtmpose; print("mmdeploy" in sys.modules)'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert out.stdout.strip() == 'False'


@pytest.mark.parametrize('path, backends', [
    ('rtmpose.models.heads.rtmcc_head.RTMCCHead.forward', {'default'}),
    ('rtmpose.models.layers.scale_norm.ScaleNorm.forward', {'ncnn', 'tensorrt'}),
    ('rtmpose.models.layers.rtmcc_block.RTMCCBlock._forward', {'ncnn'}),
    ('rtmpose.models.layers.scale.Scale.forward', {'ncnn'}),
    ('mmdet.models.dense_heads.rtmdet_head.RTMDetHead.predict_by_feat', {'ncnn'}),
])
def test_rewriters_are_registered_for_our_paths(path, backends):
    ours = [r for r in FUNCTION_REWRITER._registry._rewrite_records.get(path, [])
            if r['_object'].__module__.startswith('rtmpose.deploy.rewriters.')]
    found = {next((c.required_backend.value for c in r['_checkers'] if isinstance(c, BackendChecker)), 'default')
             for r in ours}
    assert found == backends


def simcc_pair(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(3, 17, 384) and (3, 17, 512) logits with ties (rounded values) and rows whose maximum is <= 0."""
    g = torch.Generator().manual_seed(seed)
    x = (torch.randn(3, 17, 384, generator=g) * 4).round() / 4
    y = (torch.randn(3, 17, 512, generator=g) * 4).round() / 4
    x[0, :5] -= 10
    y[1, 3:9] -= 10
    return x, y


def test_simcc_decode_graph_equals_simcc_label_decode():
    x, y = simcc_pair()
    keypoints, scores = simcc_decode_graph(x, y, 2.0)
    ref_keypoints, ref_scores = SimCCLabel(input_size=(192, 256), simcc_split_ratio=2.0).decode(x.numpy(), y.numpy())
    assert (ref_scores <= 0).any()  # the -1 branch is exercised
    np.testing.assert_array_equal(keypoints.numpy(), ref_keypoints)
    np.testing.assert_array_equal(scores.numpy(), ref_scores)
    core_keypoints, core_scores = simcc_decode(x.numpy(), y.numpy(), 2.0)  # the numpy rule the runtime uses
    np.testing.assert_array_equal(keypoints.numpy(), core_keypoints)
    np.testing.assert_array_equal(scores.numpy(), core_scores)


def small_head(**decoder) -> RTMCCHead:
    torch.manual_seed(0)
    return RTMCCHead(in_channels=16, out_channels=17, input_size=(192, 256), in_featuremap_size=(6, 8),
                     final_layer_kernel_size=7, gau_cfg=dict(act_fn='SiLU'),
                     decoder=dict(type='SimCCLabel', input_size=(192, 256), sigma=(4.9, 5.66), **decoder)).eval()


def deploy_cfg(export_postprocess: bool) -> Config:
    return Config(dict(codebase_config=dict(type='mmpose', task='PoseDetection', export_postprocess=export_postprocess),
                       backend_config=dict(type='onnxruntime'), onnx_config=dict(type='onnx')))


def test_head_rewriter_exports_the_decode():
    head = small_head()
    feats = (torch.randn(2, 16, 8, 6), )
    with torch.no_grad():
        simcc_x, simcc_y = head(feats)
        with RewriterContext(cfg=deploy_cfg(False), backend='onnxruntime'):
            plain = head(feats)
        with RewriterContext(cfg=deploy_cfg(True), backend='onnxruntime'):
            keypoints, scores = head(feats)
    torch.testing.assert_close(plain, (simcc_x, simcc_y), rtol=0, atol=0)
    ref_keypoints, ref_scores = head.decoder.decode(simcc_x.numpy(), simcc_y.numpy())
    np.testing.assert_array_equal(keypoints.numpy(), ref_keypoints)
    np.testing.assert_array_equal(scores.numpy(), ref_scores)


def test_head_rewriter_refuses_a_decode_it_cannot_export():
    head = small_head(use_dark=True)
    with RewriterContext(cfg=deploy_cfg(True), backend='onnxruntime'), torch.no_grad():
        with pytest.raises(ValueError, match='use_dark=False'):
            head((torch.randn(1, 16, 8, 6), ))


@pytest.mark.parametrize('attn_type, pos_enc, use_rel_bias', [
    ('self-attn', False, False), ('self-attn', True, True), ('cross-attn', True, True)])
def test_ncnn_gau_is_the_same_function(attn_type, pos_enc, use_rel_bias):
    torch.manual_seed(0)
    block = RTMCCBlock(17, 64, 64, s=32, attn_type=attn_type, pos_enc=pos_enc, use_rel_bias=use_rel_bias).eval()
    x = torch.randn(2, 17, 64)
    inputs = x if attn_type == 'self-attn' else (x, torch.randn(2, 9, 64), torch.randn(2, 9, 64))
    with torch.no_grad():
        torch.testing.assert_close(rtmcc_block___forward__ncnn(block, inputs), block._forward(inputs), rtol=1e-5,
                                   atol=1e-6)


def test_ncnn_scale_is_the_same_function():
    scale = Scale(64)
    scale.scale.data.uniform_(0.5, 2)
    x = torch.randn(2, 17, 64)
    torch.testing.assert_close(scale__forward__ncnn(scale, x), scale(x), rtol=0, atol=0)


@pytest.mark.parametrize('magnitude', [1e-7, 1e-3, 1.0, 1e3])
def test_fp16_safe_scale_norm_is_the_same_function(magnitude):
    norm = ScaleNorm(48)
    norm.g.data.fill_(1.7)
    x = torch.randn(2, 17, 48, dtype=torch.float64) * magnitude
    x[0, 0] = 0  # an all-zero row
    torch.testing.assert_close(scale_norm__forward__fp16_safe(norm.double(), x), norm.double()(x), rtol=1e-12,
                               atol=1e-12)


def test_fp16_safe_scale_norm_survives_fp16_arithmetic(monkeypatch):
    """Emulate a backend that forms the squares and their sum in FP16: the eager ScaleNorm collapses to zeros where
    ||x||^2 > 65504, the rewriter does not."""

    def fp16_l2(x, *args, dim=-1, keepdim=False, **kwargs):
        return (x * x).sum(dim, keepdim=keepdim).sqrt()

    norm = ScaleNorm(48).half()
    x = torch.randn(2, 17, 48) * 60  # RMS 60: squares up to ~10^5 and their sum ~ 2e5, both beyond FP16
    expected = norm.float()(x)
    norm.half()
    monkeypatch.setattr(torch.linalg, 'vector_norm', fp16_l2)
    monkeypatch.setattr(torch, 'norm', fp16_l2)
    eager = norm(x.half()).float()
    safe = scale_norm__forward__fp16_safe(norm, x.half()).float()
    assert eager.abs().max() == 0  # x / inf: every token zeroed
    torch.testing.assert_close(safe, expected, rtol=2e-3, atol=2e-3)

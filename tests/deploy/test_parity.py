"""Converted RTMPose-t and -m against PyTorch on the 14 real COCO person crops (random backbone, peaked head)."""
import json

import numpy as np
import onnx
import pytest

from rtmpose.backends.ncnn_backend import NcnnBackend
from rtmpose.backends.onnxruntime_backend import OnnxRuntimeBackend
from rtmpose.testing.parity import compare, keypoints_and_scores, torch_outputs

ARCHS = ['t', 'm']
pytestmark = pytest.mark.slow


@pytest.fixture(scope='module', params=ARCHS)
def arch(request) -> str:
    return request.param


@pytest.fixture(scope='module')
def reference(arch, peaked_models, crops):
    """PyTorch outputs, decoded keypoints ``(14, 17, 2)`` and scores of the peaked model."""
    _, model = peaked_models(arch)
    outputs = torch_outputs(model, crops.inputs)
    return outputs, keypoints_and_scores(outputs, model.head.decoder), model.head.decoder


def run(files, crops):
    """The converted model on the runtime object users run (:meth:`Artifacts.open_backend`), by output name."""
    return files.outputs(files.open_backend(), crops.inputs)


def test_verification_opens_the_users_runtime_with_the_old_settings(arch, converted):
    """One intra-op and one inter-op thread for ONNX Runtime; ncnn's fp16 options exactly for FP16 models."""
    ort = converted(arch, 'simcc_onnxruntime_dynamic').open_backend()
    assert isinstance(ort, OnnxRuntimeBackend)
    options = ort.session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)
    for name, fp16 in (('simcc_ncnn_static', False), ('simcc_ncnn-fp16_static', True)):
        ncnn = converted(arch, name).open_backend()
        assert isinstance(ncnn, NcnnBackend) and ncnn.net.opt.num_threads == 1
        opt = ncnn.net.opt
        assert (opt.use_fp16_storage, opt.use_fp16_packed, opt.use_fp16_arithmetic, opt.use_bf16_storage) == (
            fp16, fp16, fp16, False)


def test_the_head_is_peaked(reference):
    """Precondition of every keypoint comparison below: no near-ties between far-apart bins."""
    outputs, _, _ = reference
    for simcc in outputs.values():
        top = simcc.argmax(-1)
        far = np.abs(np.arange(simcc.shape[-1]) - top[..., None]) > 3
        gap = simcc.max(-1) - np.where(far, simcc, -np.inf).max(-1)
        assert gap.min() > 0.05


@pytest.mark.parametrize('name', ['simcc_onnxruntime_static', 'simcc_onnxruntime_dynamic'])
def test_onnxruntime_fp32_equals_pytorch(arch, name, converted, crops, reference):
    """Same keypoints exactly, scores within 1e-4, for the static (one crop per call; RTMPose-t only, to save time)
    and dynamic-batch exports."""
    if arch != 't' and 'static' in name:
        pytest.skip('static batch-1 export checked on RTMPose-t')
    files = converted(arch, name)
    out = run(files, crops)
    assert out['simcc_x'].shape == (14, 17, 384) and out['simcc_y'].shape == (14, 17, 512)
    parity = compare(reference[1], keypoints_and_scores(out, reference[2]))
    assert parity.max_px == 0.0, parity
    assert parity.max_score_diff <= 1e-4, parity


def test_onnxruntime_fp16_mean_error(arch, converted, crops, reference):
    files = converted(arch, 'simcc_onnxruntime-fp16_dynamic')
    assert files.backend_files[0].name == 'end2end_fp16.onnx'
    model = onnx.load(str(files.backend_files[0]))
    assert model.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT  # keep_io_types
    assert any(init.data_type == onnx.TensorProto.FLOAT16 for init in model.graph.initializer)
    parity = compare(reference[1], keypoints_and_scores(run(files, crops), reference[2]))
    assert parity.mean_px <= 0.5, parity


def test_ncnn_fp32_max_error(arch, converted, crops, reference):
    files = converted(arch, 'simcc_ncnn_static')
    parity = compare(reference[1], keypoints_and_scores(run(files, crops), reference[2]))
    assert parity.max_px <= 0.5, parity
    assert parity.max_score_diff <= 1e-3, parity


def test_ncnn_fp16_mean_error(arch, converted, crops, reference):
    files = converted(arch, 'simcc_ncnn-fp16_static')
    assert files.precision == 'FP16'
    parity = compare(reference[1], keypoints_and_scores(run(files, crops), reference[2]))
    assert parity.mean_px <= 0.5, parity


def test_ncnn_export_uses_our_rewriters(arch, converted):
    """The ncnn graph has the FP16-safe ScaleNorm (Abs + ReduceMax before ReduceL2) and no MMDeploy custom op."""
    graph = onnx.load(str(converted(arch, 'simcc_ncnn_static').onnx)).graph
    ops = [n.op_type for n in graph.node]
    assert ops.count('ReduceL2') == 2 and ops.count('ReduceMax') == 2 and ops.count('Abs') == 2
    assert not [n.op_type for n in graph.node if n.domain not in ('', 'ai.onnx')]


def test_decode_in_graph_equals_python_decode(arch, converted, crops, reference):
    """``keypoints``/``scores`` from the graph equal SimCCLabel.decode of the SimCC outputs: bit for bit against the
    same ONNX Runtime computation, and keypoints exactly against PyTorch."""
    decoded = run(converted(arch, 'simcc-decode_onnxruntime_dynamic'), crops)
    assert decoded['keypoints'].shape == (14, 17, 2) and decoded['scores'].shape == (14, 17)
    assert decoded['keypoints'].dtype == np.float32
    simcc = run(converted(arch, 'simcc_onnxruntime_dynamic'), crops)
    keypoints, scores = reference[2].decode(simcc['simcc_x'], simcc['simcc_y'])
    np.testing.assert_array_equal(decoded['keypoints'], keypoints)
    np.testing.assert_array_equal(decoded['scores'], scores)
    np.testing.assert_array_equal(decoded['keypoints'], reference[1][0])


def test_mmdeploy_export_of_the_mmpose_reference_matches_ours(arch, converted, crops):
    """The official route (MMPose's classes, MMDeploy's rewriters) and ours give the same graph and outputs."""
    ours, ref = converted(arch, 'simcc_onnxruntime_dynamic'), converted(arch, 'simcc_onnxruntime_dynamic', 'mmpose')
    ops = [[n.op_type for n in onnx.load(str(f.onnx)).graph.node] for f in (ours, ref)]
    assert ops[0] == ops[1]
    out_ours, out_ref = run(ours, crops), run(ref, crops)
    for name in ('simcc_x', 'simcc_y'):
        np.testing.assert_allclose(out_ours[name], out_ref[name], rtol=0, atol=1e-5)


def test_sdk_info_matches_the_official_rtmpose_sdk_meta(arch, converted, shared_dir):
    """``--dump-info`` writes the same preprocessing and decode as the official RTMPose-m SDK folder."""
    files = converted(arch, 'simcc_onnxruntime_dynamic')
    official = json.loads((shared_dir / 'models' / 'rtmpose-m-sdk-meta' / 'pipeline.json').read_text())
    ours = json.loads((files.onnx.parent / 'pipeline.json').read_text())
    tasks = {t['name']: t for t in ours['pipeline']['tasks']}
    official_tasks = {t['name']: t for t in official['pipeline']['tasks']}
    assert tasks['Preprocess']['transforms'] == official_tasks['Preprocess']['transforms']
    params = tasks['postprocess']['params']
    for key, value in official_tasks['postprocess']['params'].items():
        assert params[key] == value, key
    assert tasks['postprocess']['component'] == 'SimCCLabelDecode'
    deploy_json = json.loads((files.onnx.parent / 'deploy.json').read_text())
    assert deploy_json['models'][0]['net'] == 'end2end.onnx' and deploy_json['models'][0]['dynamic_shape']


def test_sdk_info_of_fp16_onnxruntime_points_at_the_fp16_model(converted):
    files = converted('t', 'simcc_onnxruntime-fp16_dynamic')
    model = json.loads((files.onnx.parent / 'deploy.json').read_text())['models'][0]
    assert model['net'] == 'end2end_fp16.onnx' and model['precision'] == 'FP16'

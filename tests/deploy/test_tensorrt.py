"""TensorRT without a GPU: the ONNX a TensorRT engine would be built from, and the clear refusal of the tool.

The engine build itself needs an NVIDIA GPU and is not run here.
"""
import onnx
import pytest
from mmengine.config import Config

from rtmpose.backends.tensorrt_backend import tensorrt_unavailable
from rtmpose.deploy.artifacts import named_outputs, open_converted
from rtmpose.testing.parity import compare, keypoints_and_scores, torch_outputs
from tests.deploy.conftest import pose_config
from tests.paths import CONFIGS

NO_GPU = tensorrt_unavailable('cuda:0') is not None


@pytest.mark.slow
@pytest.mark.parametrize('precision', ['', '-fp16'])
def test_onnx_for_tensorrt_is_valid_and_correct(precision, peaked_models, crops, image, tmp_path, monkeypatch):
    """Exported with the TensorRT deploy config (so with the FP16-safe ScaleNorm), on the CPU: MMDeploy refuses
    `cpu` for TensorRT in build_task_processor, which is bypassed for this export only."""
    import mmdeploy.apis.utils.utils as mmdeploy_utils

    from rtmpose.deploy.onnx_export import export_onnx

    monkeypatch.setattr(mmdeploy_utils, 'check_backend_device', lambda **kwargs: None)
    checkpoint, model = peaked_models('t')
    deploy_cfg = Config.fromfile(str(pose_config(f'simcc_tensorrt{precision}_dynamic')))
    onnx_file = export_onnx(deploy_cfg, Config.fromfile(CONFIGS / 'rtmpose-t_coco.py'), str(checkpoint), image,
                            tmp_path)
    onnx.checker.check_model(str(onnx_file), full_check=True)
    graph = onnx.load(str(onnx_file)).graph
    assert [n.op_type for n in graph.node].count('ReduceMax') == 2  # the FP16-safe ScaleNorm
    assert graph.input[0].type.tensor_type.shape.dim[0].dim_param == 'batch'
    out = named_outputs(open_converted('onnxruntime', [onnx_file]), crops.inputs)
    reference = keypoints_and_scores(torch_outputs(model, crops.inputs), model.head.decoder)
    parity = compare(reference, keypoints_and_scores(out, model.head.decoder))
    assert parity.max_px <= 0.5 and parity.max_score_diff <= 1e-4, parity


@pytest.mark.skipif(not NO_GPU, reason='a GPU with TensorRT is available here')
@pytest.mark.parametrize('existing', [False, True])
def test_deploy_tool_refuses_tensorrt_without_gpu(existing, image, tmp_path, capsys):
    from tools.deploy import main

    work_dir = tmp_path / 'trt'
    if existing:
        work_dir.mkdir()
    code = main([str(pose_config('simcc_tensorrt-fp16_dynamic')), str(CONFIGS / 'rtmpose-t_coco.py'), 'none', image,
                 '--work-dir', str(work_dir), '--device', 'cuda:0'])
    err = capsys.readouterr().err
    assert code == 2
    assert 'TensorRT needs an NVIDIA GPU' in err and 'Fix:' in err and 'onnxruntime' in err
    assert (list(work_dir.iterdir()) == []) if existing else not work_dir.exists()


@pytest.mark.skipif(not NO_GPU, reason='a GPU with TensorRT is available here')
def test_the_refusal_names_the_problem_and_the_fix():
    message = tensorrt_unavailable('cuda:0')
    assert 'libcuda.so.1' in message or 'torch.cuda.is_available() == False' in message  # the problem
    for fix in ('NVIDIA GPU', 'pip install tensorrt', 'device cuda:0', 'ONNX Runtime', 'ncnn'):
        assert fix in message

"""The deploy configs load with mmengine, are self-contained and say what the conversions need."""
import pytest
from mmengine.config import Config

from rtmpose.deploy.artifacts import artifacts
from tests.paths import REPO_ROOT

DEPLOY_CONFIGS = REPO_ROOT / 'deploy_configs'
POSE = sorted((DEPLOY_CONFIGS / 'pose').glob('*.py'))
DETECTION = sorted((DEPLOY_CONFIGS / 'detection').glob('*.py'))


def load(path) -> Config:
    return Config.fromfile(str(path))


def test_every_backend_and_precision_is_there():
    names = {p.stem for p in POSE}
    assert names == {
        'pose-detection_simcc_onnxruntime_static-256x192', 'pose-detection_simcc_onnxruntime_dynamic-256x192',
        'pose-detection_simcc_onnxruntime-fp16_dynamic-256x192', 'pose-detection_simcc_tensorrt_dynamic-256x192',
        'pose-detection_simcc_tensorrt-fp16_dynamic-256x192', 'pose-detection_simcc_ncnn_static-256x192',
        'pose-detection_simcc_ncnn-fp16_static-256x192', 'pose-detection_simcc-decode_onnxruntime_dynamic-256x192'}
    assert {p.stem for p in DETECTION} == {
        'detection_onnxruntime_static-320x320', 'detection_tensorrt_static-320x320',
        'detection_tensorrt-fp16_static-320x320', 'detection_ncnn_static-320x320'}


@pytest.mark.parametrize('path', POSE + DETECTION, ids=lambda p: p.stem)
def test_config_is_self_contained(path):
    """Only our own `_base_` files: the mmdeploy wheel has no configs/ folder to inherit from."""
    for line in path.read_text().splitlines():
        if line.startswith('_base_'):
            assert '::' not in line and 'mmdeploy' not in line
    cfg = load(path)
    assert cfg.onnx_config.input_names == ['input']
    assert cfg.backend_config.type in ('onnxruntime', 'tensorrt', 'ncnn')


@pytest.mark.parametrize('path', POSE, ids=lambda p: p.stem)
def test_pose_config(path):
    cfg = load(path)
    assert cfg.codebase_config.type == 'mmpose' and cfg.codebase_config.task == 'PoseDetection'
    assert cfg.codebase_config.module == ['rtmpose.deploy.rewriters']
    assert cfg.onnx_config.input_shape == [192, 256]
    decode = cfg.codebase_config.get('export_postprocess', False)
    outputs = ['keypoints', 'scores'] if decode else ['simcc_x', 'simcc_y']
    assert cfg.onnx_config.output_names == outputs
    dynamic = cfg.onnx_config.get('dynamic_axes')
    if 'dynamic' in path.stem:
        assert dynamic == {name: {0: 'batch'} for name in ['input'] + outputs}
    else:
        assert dynamic is None
    files = artifacts(cfg, '/w')
    assert files.input_shape == (1, 3, 256, 192)
    assert files.precision == ('FP16' if 'fp16' in path.stem else 'FP32')


@pytest.mark.parametrize('precision', ['', '-fp16'])
def test_tensorrt_dynamic_batch_1_8_32(precision):
    cfg = load(DEPLOY_CONFIGS / 'pose' / f'pose-detection_simcc_tensorrt{precision}_dynamic-256x192.py')
    shapes = cfg.backend_config.model_inputs[0].input_shapes.input
    assert shapes == dict(min_shape=[1, 3, 256, 192], opt_shape=[8, 3, 256, 192], max_shape=[32, 3, 256, 192])
    assert cfg.backend_config.common_config.fp16_mode == (precision == '-fp16')
    assert artifacts(cfg, '/w').backend_files[0].name == 'end2end.engine'


@pytest.mark.parametrize('path', DETECTION, ids=lambda p: p.stem)
def test_detection_config(path):
    cfg = load(path)
    assert cfg.codebase_config.type == 'mmdet' and cfg.codebase_config.task == 'ObjectDetection'
    assert cfg.onnx_config.input_shape == [320, 320]
    assert cfg.codebase_config.post_processing.iou_threshold == 0.5
    expected = ['boxes', 'scores'] if cfg.backend_config.type == 'ncnn' else ['dets', 'labels']
    assert cfg.onnx_config.output_names == expected


def test_artifact_names():
    ort16 = artifacts(load(DEPLOY_CONFIGS / 'pose' / 'pose-detection_simcc_onnxruntime-fp16_dynamic-256x192.py'), '/w')
    assert [p.name for p in ort16.backend_files] == ['end2end_fp16.onnx'] and ort16.onnx.name == 'end2end.onnx'
    ncnn16 = artifacts(load(DEPLOY_CONFIGS / 'pose' / 'pose-detection_simcc_ncnn-fp16_static-256x192.py'), '/w')
    assert [p.name for p in ncnn16.backend_files] == ['end2end.param', 'end2end.bin']
    assert ncnn16.precision == 'FP16'

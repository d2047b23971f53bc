"""Static INT8 for ONNX Runtime: calibrated on real detector crops, evaluated on the ground-truth crops."""
import onnx
import pytest

from rtmpose.deploy.backend_model import OrtModel
from rtmpose.deploy.coco_crops import load_detection_crops
from rtmpose.deploy.ort_int8 import quantize_int8
from rtmpose.deploy.parity import compare, keypoints_and_scores

pytestmark = pytest.mark.slow


def test_int8_quantizes_the_backbone_only_and_keeps_keypoints(converted, peaked_models, crops, coco_dir, tmp_path):
    fp32 = converted('t', 'simcc_onnxruntime_dynamic').onnx
    calibration = load_detection_crops(coco_dir)  # 18 detector boxes with score >= 0.5, not the evaluation crops
    int8 = quantize_int8(fp32, tmp_path / 'int8.onnx', calibration.inputs)
    nodes = onnx.load(str(int8)).graph.node
    first_norm = next(i for i, n in enumerate(nodes) if n.op_type == 'ReduceL2')
    assert sum(n.op_type == 'QuantizeLinear' for n in nodes[:first_norm]) > 10
    assert not [n for n in nodes[first_norm:] if n.op_type in ('QuantizeLinear', 'DequantizeLinear')]
    decoder = peaked_models('t')[1].head.decoder
    reference = keypoints_and_scores(OrtModel(fp32)(crops.inputs), decoder)
    parity = compare(reference, keypoints_and_scores(OrtModel(int8)(crops.inputs), decoder))
    assert parity.mean_px <= 1.0, parity

"""Static INT8 for ONNX Runtime: calibrated on real detector crops, evaluated on the ground-truth crops."""
import onnx
import pytest

from rtmpose.deploy.artifacts import named_outputs, open_converted
from rtmpose.deploy.ort_int8 import quantize_int8
from rtmpose.testing.coco_crops import load_detection_crops
from rtmpose.testing.parity import compare, keypoints_and_scores
from tests.deploy.conftest import run_without_mmdeploy
from tests.paths import REPO_ROOT, load_script

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
    fp32_out, int8_out = (named_outputs(open_converted('onnxruntime', [f]), crops.inputs) for f in (fp32, int8))
    parity = compare(keypoints_and_scores(fp32_out, decoder), keypoints_and_scores(int8_out, decoder))
    assert parity.mean_px <= 1.0, parity


def run_tool(argv: list[str]) -> None:
    load_script(REPO_ROOT / 'tools' / 'quantize_int8.py').main(argv)


def test_quantize_tool_writes_the_model_and_reports_error_and_speed_without_mmdeploy(converted, coco_dir, tmp_path):
    """The tool as a user runs it, in an environment where mmdeploy cannot be imported."""
    work_dir = converted('t', 'simcc_onnxruntime_dynamic').onnx.parent
    out = tmp_path / 'int8' / 'end2end-int8.onnx'
    argv = [str(work_dir), str(out), '--ann-file', str(coco_dir / 'test_coco.json'), '--img-dir', str(coco_dir)]
    run = run_without_mmdeploy(f'''
        import runpy
        sys.argv = ['tools/quantize_int8.py', *{argv!r}]
        runpy.run_path('tools/quantize_int8.py', run_name='__main__')
    ''')
    assert run.returncode == 0, run.stderr[-3000:]
    report = run.stdout
    assert out.is_file() and not list(out.parent.glob('*.part'))
    assert 'QuantizeLinear' in {n.op_type for n in onnx.load(str(out)).graph.node}
    mean_px = float(report.split('keypoint error mean ')[1].split(' px')[0])
    assert mean_px <= 1.0 and 'speed-up' in report, report


@pytest.mark.parametrize('case, message', [('no_model', 'no ONNX model'), ('no_images', 'are not in --img-dir'),
                                           ('not_json', 'not valid JSON')])
def test_quantize_tool_bad_input_is_a_clear_error(converted, coco_dir, tmp_path, case, message):
    model = converted('t', 'simcc_onnxruntime_dynamic').onnx
    ann, img_dir = coco_dir / 'test_coco.json', coco_dir
    if case == 'no_model':
        model = tmp_path / 'missing.onnx'
    elif case == 'no_images':
        img_dir = tmp_path
    else:
        ann = tmp_path / 'broken.json'
        ann.write_text('{not json')
    out = tmp_path / 'int8.onnx'
    with pytest.raises(SystemExit, match=message):
        run_tool([str(model), str(out), '--ann-file', str(ann), '--img-dir', str(img_dir)])
    assert not out.exists()

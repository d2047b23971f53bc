"""``tools/verify_backend.py``: parity of a converted model on the user's runtime, crops at the model's input size."""
import json

import pytest
import torch
from mmengine.config import Config

from tests.deploy.conftest import pose_config
from tests.paths import CONFIGS, REPO_ROOT, load_script

ORT_DYNAMIC = str(pose_config('simcc_onnxruntime_dynamic'))


@pytest.fixture(scope='module')
def tool():
    return load_script(REPO_ROOT / 'tools' / 'verify_backend.py')


@pytest.mark.parametrize('config, size', [('rtmpose-t_coco.py', (192, 256)), ('rtmpose-m_coco-384x288.py', (288, 384)),
                                          ('rtmpose-t_demo.py', (96, 128))])
def test_the_crop_size_is_the_model_configs(tool, config, size):
    assert tool.input_size(Config.fromfile(CONFIGS / config)) == size


def test_a_missing_conversion_is_a_clear_error(tool, coco_dir, tmp_path, capsys):
    code = tool.main([ORT_DYNAMIC, str(CONFIGS / 'rtmpose-t_coco.py'), 'none', str(tmp_path / 'nothing'),
                      '--coco-dir', str(coco_dir)])
    assert code == 2
    assert 'converted model not found' in capsys.readouterr().err


@pytest.mark.slow
def test_onnxruntime_parity_is_exact(tool, converted, peaked_models, coco_dir, tmp_path):
    files = converted('t', 'simcc_onnxruntime_dynamic')
    checkpoint, _ = peaked_models('t')
    out = tmp_path / 'report.json'
    code = tool.main([ORT_DYNAMIC, str(CONFIGS / 'rtmpose-t_coco.py'), str(checkpoint), str(files.onnx.parent),
                      '--coco-dir', str(coco_dir), '--json', str(out)])
    report = json.loads(out.read_text())
    assert code == 0
    assert (report['backend'], report['precision'], report['crops']) == ('onnxruntime', 'FP32', 14)
    assert report['max_px'] == 0.0 and report['max_score_diff'] <= 1e-4, report


@pytest.mark.slow
def test_peaked_checkpoint_of_a_96x128_model(tool, coco_dir, tmp_path):
    """The demo model takes 96x128 crops; cropping 192x256 (as the tool once did) cannot fit its head."""
    out = tmp_path / 'demo-peaked.pth'
    assert tool.main(['--peaked-checkpoint', str(out), str(CONFIGS / 'rtmpose-t_demo.py'),
                      '--coco-dir', str(coco_dir)]) == 0
    state = torch.load(out, weights_only=True)['state_dict']
    assert state['head.cls_x.weight'].shape[0] == 96 * 2 and state['head.cls_y.weight'].shape[0] == 128 * 2

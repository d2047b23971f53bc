"""``tools/deploy.py``: clear errors before any work, and a full run from the command line."""
import json
import subprocess
import sys

import pytest

from tests.deploy.conftest import pose_config
from tests.paths import CONFIGS, REPO_ROOT
from tools.deploy import main

ORT_STATIC = str(pose_config('simcc_onnxruntime_static'))
MODEL_T = str(CONFIGS / 'rtmpose-t_coco.py')


@pytest.fixture
def corrupt_image(tmp_path) -> str:
    path = tmp_path / 'corrupt.jpg'
    path.write_bytes(b'\xff\xd8\xff\xe0 this is not a JPEG')
    return str(path)


@pytest.mark.parametrize('case, message', [
    ('deploy_cfg', 'deploy config not found'),
    ('model_cfg', 'model config not found'),
    ('checkpoint', 'checkpoint not found'),
    ('image', 'image not found'),
    ('corrupt', 'cannot decode image'),
    ('not_a_deploy_cfg', 'is not an MMDeploy deploy config'),
])
def test_bad_input_fails_before_any_work(case, message, image, corrupt_image, tmp_path, capsys):
    args = {'deploy_cfg': ORT_STATIC, 'model_cfg': MODEL_T, 'checkpoint': 'none', 'image': image}
    missing = str(tmp_path / 'missing')
    if case == 'corrupt':
        args['image'] = corrupt_image
    elif case == 'not_a_deploy_cfg':
        args['deploy_cfg'] = MODEL_T
    else:
        args[case] = missing
    work_dir = tmp_path / 'out'
    code = main([*args.values(), '--work-dir', str(work_dir)])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not work_dir.exists()


@pytest.mark.slow
def test_command_line_run_with_random_weights(image, tmp_path):
    """The script as a user runs it: ncnn FP16 with CHECKPOINT `none` and the SDK files."""
    work_dir = tmp_path / 'ncnn16'
    run = subprocess.run([sys.executable, 'tools/deploy.py', str(pose_config('simcc_ncnn-fp16_static')), MODEL_T,
                          'none', image, '--work-dir', str(work_dir), '--dump-info'], cwd=REPO_ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert sorted(p.name for p in work_dir.iterdir()) == [
        'deploy.json', 'detail.json', 'end2end.bin', 'end2end.onnx', 'end2end.param', 'pipeline.json']
    model = json.loads((work_dir / 'deploy.json').read_text())['models'][0]
    assert (model['net'], model['weights'], model['backend'], model['precision']) == (
        'end2end.param', 'end2end.bin', 'ncnn', 'FP16')

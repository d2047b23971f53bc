"""Issue 16: `tools/deploy.py`, `tools/verify_backend.py` and the torch backend refuse weights of another model,
a failed conversion keeps the previous export, and the demo model (128x96, DemoCocoDataset) deploys at its own
input size whatever size the deploy config was written for."""
import json

import cv2
import numpy as np
import onnx
import pytest
import torch

from rtmpose.deploy.checks import DeployError
from tests.deploy.conftest import pose_config
from tests.paths import CONFIGS, REPO_ROOT, load_script
from tools.deploy import main as deploy_main

ORT_STATIC = str(pose_config('simcc_onnxruntime_static'))
NCNN = str(pose_config('simcc_ncnn_static'))
MODEL_T = str(CONFIGS / 'rtmpose-t_coco.py')
DEMO = str(CONFIGS / 'rtmpose-t_demo.py')


@pytest.fixture(scope='module')
def noise_image(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp('img') / 'noise.jpg'
    cv2.imwrite(str(path), np.random.default_rng(0).integers(0, 255, (240, 320, 3), dtype=np.uint8))
    return str(path)


@pytest.fixture(scope='module')
def demo_checkpoint(tmp_path_factory) -> str:
    """A checkpoint of the 128x96 demo model (random weights), as `mim train` saves it."""
    from rtmpose.deploy.torch_export import build_rtmpose_model

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp('ckpt') / 'demo.pth'
    torch.save({'state_dict': build_rtmpose_model(DEMO).state_dict(), 'meta': {}}, path)
    return str(path)


def test_demo_model_deploys_at_its_input_size_with_a_256x192_deploy_config(noise_image, demo_checkpoint, tmp_path):
    work_dir = tmp_path / 'demo-ort'
    assert deploy_main([ORT_STATIC, DEMO, demo_checkpoint, noise_image, '--work-dir', str(work_dir),
                        '--dump-info']) == 0
    dims = onnx.load(str(work_dir / 'end2end.onnx')).graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims] == [1, 3, 128, 96]
    pipeline = json.loads((work_dir / 'pipeline.json').read_text())
    sizes = [t['image_size'] for task in pipeline['pipeline']['tasks'] for t in task.get('transforms', [])
             if 'image_size' in t]
    assert sizes and all(list(s) == [96, 128] for s in sizes), sizes
    assert not [p for p in tmp_path.iterdir() if p.name.startswith('.')], 'the scratch folder was left behind'


def test_checkpoint_of_another_model_is_refused_by_deploy_verify_and_torch_backend(noise_image, demo_checkpoint,
                                                                                   tmp_path, capsys):
    work_dir = tmp_path / 'out'
    assert deploy_main([ORT_STATIC, MODEL_T, demo_checkpoint, noise_image, '--work-dir', str(work_dir)]) == 2
    err = capsys.readouterr().err
    assert 'does not fit this model' in err and 'input 96x128' in err and '17 keypoints' in err, err
    assert not work_dir.exists()

    verify = load_script(REPO_ROOT / 'tools' / 'verify_backend.py')
    with pytest.raises(DeployError, match='does not fit this model.*input 96x128'):
        verify.verify(ORT_STATIC, MODEL_T, demo_checkpoint, str(work_dir), tmp_path, 'cpu')

    from rtmpose.hub.openmmlab import load_pose_network
    from rtmpose.utils.checkpoint_fit import CheckpointMismatchError

    with pytest.raises(CheckpointMismatchError, match='input 96x128.*the config builds one with.*input 192x256'):
        load_pose_network(MODEL_T, demo_checkpoint)


def test_html_checkpoint_is_a_bad_request(noise_image, tmp_path, capsys):
    page = tmp_path / 'rtmpose.pth'
    page.write_text('<html><body>404 Not Found</body></html>')
    assert deploy_main([ORT_STATIC, MODEL_T, str(page), noise_image, '--work-dir', str(tmp_path / 'out')]) == 2
    assert 'is not a PyTorch checkpoint' in capsys.readouterr().err


def test_failed_conversion_keeps_the_previous_export(noise_image, tmp_path, monkeypatch, capsys):
    from rtmpose.deploy import pipeline

    work_dir = tmp_path / 'ncnn'
    work_dir.mkdir()
    previous = {name: f'previous {name}' for name in ('end2end.onnx', 'end2end.param', 'end2end.bin',
                                                        'pipeline.json')}
    for name, text in previous.items():
        (work_dir / name).write_text(text)

    def failing_pnnx(*args, **kwargs):
        raise RuntimeError('pnnx failed to convert end2end.onnx (exit 1): unsupported op')

    monkeypatch.setattr(pipeline, 'onnx2ncnn', failing_pnnx)
    assert deploy_main([NCNN, DEMO, 'none', noise_image, '--work-dir', str(work_dir)]) == 1
    assert 'ncnn conversion failed' in capsys.readouterr().err
    assert {p.name: p.read_text() for p in work_dir.iterdir()} == previous
    assert [p.name for p in tmp_path.iterdir()] == ['ncnn']


def test_backend_accuracy_benchmark_leaves_the_tracked_results_alone_by_default():
    bench = load_script(REPO_ROOT / 'benchmarks' / 'backend_accuracy.py')
    args = bench.parse_args([])
    assert args.out_dir == args.work_dir and not args.out_dir.is_relative_to(REPO_ROOT / 'benchmarks')
    assert bench.parse_args(['--out-dir', 'benchmarks/results']).out_dir.as_posix() == 'benchmarks/results'

"""Issues 16 and 23: `tools/deploy.py`, `tools/verify_backend.py` and the torch backend refuse weights of another
model (and cut ones), a failed conversion (or a full disk) keeps the previous export, a work dir that cannot be
written is refused before the export, a new export replaces another backend's, and the demo model (128x96,
DemoCocoDataset) deploys at its own input size whatever size the deploy config was written for."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

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
    from rtmpose.hub.openmmlab import build_rtmpose_model

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
    from rtmpose.deploy import ncnn_convert

    work_dir = tmp_path / 'ncnn'
    work_dir.mkdir()
    previous = {name: f'previous {name}' for name in ('end2end.onnx', 'end2end.param', 'end2end.bin',
                                                        'pipeline.json')}
    for name, text in previous.items():
        (work_dir / name).write_text(text)

    def failing_pnnx(*args, **kwargs):
        raise RuntimeError('pnnx failed to convert end2end.onnx (exit 1): unsupported op')

    monkeypatch.setattr(ncnn_convert, 'onnx2ncnn', failing_pnnx)
    assert deploy_main([NCNN, DEMO, 'none', noise_image, '--work-dir', str(work_dir)]) == 1
    assert 'ncnn conversion failed' in capsys.readouterr().err
    assert {p.name: p.read_text() for p in work_dir.iterdir()} == previous
    assert [p.name for p in tmp_path.iterdir()] == ['ncnn']


def test_backend_accuracy_benchmark_leaves_the_tracked_results_alone_by_default():
    bench = load_script(REPO_ROOT / 'benchmarks' / 'backend_accuracy.py')
    args = bench.parse_args([])
    assert args.out_dir == args.work_dir and not args.out_dir.is_relative_to(REPO_ROOT / 'benchmarks')
    assert bench.parse_args(['--out-dir', 'benchmarks/results']).out_dir.as_posix() == 'benchmarks/results'


def _on_a_small_file_system(tmp_path, prepare: str, args: list[str]) -> subprocess.CompletedProcess:
    """Run ``prepare`` (shell, ``$FS`` is the mount point) and then ``tools/deploy.py args`` on a 4 MiB tmpfs in a
    private mount namespace (a real full disk, a real read-only file system; root writes into any folder whatever
    its permissions), then print the work dir's ``end2end.onnx`` and the files on the disk. Skips where mounting is
    not allowed."""
    if shutil.which('unshare') is None or subprocess.run(['unshare', '--mount', 'true'],
                                                         capture_output=True).returncode != 0:
        pytest.skip('needs a private mount namespace (unshare --mount: root with CAP_SYS_ADMIN)')
    fs = tmp_path / 'fs'
    fs.mkdir()
    script = (f'set -e; FS={fs}; mount -t tmpfs -o size=4m tmpfs $FS; {prepare}; set +e; '
              f'{sys.executable} {REPO_ROOT / "tools" / "deploy.py"} {" ".join(args)}; code=$?; '
              f'echo; echo "onnx: $(cat $FS/export/end2end.onnx)"; echo "files:" $(ls -A $FS); exit $code')
    return subprocess.run(['unshare', '--mount', 'sh', '-c', script], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize('where', ['a file', 'under a file'])
def test_work_dir_that_cannot_be_a_folder_is_refused_before_the_export(noise_image, tmp_path, capsys, where):
    """Issue 23 item 18: exit 2 and a message before the export, nothing written."""
    blocker = tmp_path / 'taken'
    blocker.write_text('a file of the user')
    work_dir = blocker if where == 'a file' else blocker / 'out'
    assert deploy_main([ORT_STATIC, DEMO, 'none', noise_image, '--work-dir', str(work_dir)]) == 2
    err = capsys.readouterr().err
    assert (f'the work dir {work_dir} is a file' if where == 'a file' else f'{blocker} is a file') in err
    assert blocker.read_text() == 'a file of the user' and [p.name for p in tmp_path.iterdir()] == ['taken']


def test_read_only_work_dir_is_refused_before_the_export(noise_image, tmp_path):
    """Issue 23 item 18: exit 2 and a message before the export; the previous export stays."""
    prepare = 'mkdir $FS/export; echo previous > $FS/export/end2end.onnx; mount -o remount,ro $FS'
    run = _on_a_small_file_system(tmp_path, prepare, [ORT_STATIC, DEMO, 'none', noise_image, '--work-dir',
                                                      str(tmp_path / 'fs' / 'export')])
    assert run.returncode == 2 and f'cannot write into {tmp_path / "fs" / "export"} (Read-only file system)' in \
        run.stderr, run.stderr[-2000:]
    assert 'Traceback' not in run.stderr and 'onnx: previous' in run.stdout


def test_full_disk_during_the_export_is_a_failed_conversion(noise_image, tmp_path):
    """Issue 23 item 18: the disk fills in the middle of the export (the demo model's ONNX is 13 MB, the disk
    4 MiB): exit 1 with a message, the previous export and nothing else on the disk."""
    prepare = 'mkdir $FS/export; echo previous > $FS/export/end2end.onnx'
    run = _on_a_small_file_system(tmp_path, prepare, [
        ORT_STATIC, DEMO, 'none', noise_image, '--work-dir', str(tmp_path / 'fs' / 'export')])
    assert run.returncode == 1 and 'the export could not be written ([Errno 28] No space left on device' in \
        run.stderr, run.stderr[-2000:]
    assert 'Traceback' not in run.stderr and 'is unchanged' in run.stderr and 'onnx: previous' in run.stdout
    assert run.stdout.rstrip().endswith('files: export'), 'the scratch folder was left behind'


def test_truncated_checkpoint_is_a_bad_request(noise_image, demo_checkpoint, tmp_path, capsys):
    """Issue 23 item 18: a cut ``.pth`` (exit 2, named), not torch's ``PytorchStreamReader`` traceback."""
    cut = tmp_path / 'cut.pth'
    data = Path(demo_checkpoint).read_bytes()
    cut.write_bytes(data[:len(data) // 2])
    assert deploy_main([ORT_STATIC, DEMO, str(cut), noise_image, '--work-dir', str(tmp_path / 'out')]) == 2
    err = capsys.readouterr().err
    assert f'{cut} is not a PyTorch checkpoint' in err and 'cut short' in err and 'Traceback' not in err
    assert not (tmp_path / 'out').exists()


def test_export_into_another_backends_export_folder_holds_only_the_new_files(noise_image, tmp_path):
    """Issue 23 item 17: an ONNX Runtime export into the folder of an ncnn export leaves no ``.param``/``.bin``; a
    file that no export writes stays."""
    work_dir = tmp_path / 'model'
    assert deploy_main([NCNN, DEMO, 'none', noise_image, '--work-dir', str(work_dir), '--dump-info']) == 0
    assert {'end2end.param', 'end2end.bin'} <= {p.name for p in work_dir.iterdir()}
    (work_dir / 'notes.txt').write_text('the user\'s')
    assert deploy_main([ORT_STATIC, DEMO, 'none', noise_image, '--work-dir', str(work_dir)]) == 0
    assert sorted(p.name for p in work_dir.iterdir()) == ['end2end.onnx', 'notes.txt']

"""The inference install (``pip install rtmpose``, no extras): every inference feature runs with the training stack's
imports blocked, as in a venv without it, and what needs the stack says so in one line with the install command.

The models are exported in this (parent) process with torch; only the subprocesses that use them have
``torch``, ``torchvision``, ``mmengine``, ``mmcv``, ``mmdet``, ``mmpose`` and ``mmdeploy`` blocked.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

import cv2
import pytest

from tests.conftest import require_shared
from tests.paths import CONFIGS, REPO_ROOT

#: Hides the training stack from every import finder, as in an environment that does not have it: ``import`` raises
#: ``ModuleNotFoundError`` and ``importlib.util.find_spec`` returns ``None`` (as it does for a module not installed).
BLOCK_TRAINING_STACK = textwrap.dedent('''
    import sys

    BLOCKED = ('torch', 'torchvision', 'mmengine', 'mmcv', 'mmdet', 'mmpose', 'mmdeploy')

    class HideTrainingStack:
        def __init__(self, finder):
            self.finder = finder

        def find_spec(self, name, path=None, target=None):
            if name.split('.')[0] in BLOCKED:
                return None
            return self.finder.find_spec(name, path, target)

        def __getattr__(self, attr):
            return getattr(self.finder, attr)

    sys.meta_path[:] = [HideTrainingStack(finder) for finder in sys.meta_path]
''')
TRAIN_HINT = "needs the training stack: pip install 'rtmpose[train]'"


def blocked_command(script: Path, *args: str | Path) -> list[str]:
    """The command that runs ``script`` with ``args`` as ``python script ...`` does, the training stack blocked."""
    code = BLOCK_TRAINING_STACK + textwrap.dedent(f'''
        import runpy
        sys.argv = {[str(script), *map(str, args)]!r}
        sys.path.insert(0, {str(script.parent)!r})
        runpy.run_path({str(script)!r}, run_name='__main__')
    ''')
    return [sys.executable, '-c', code]


def run_blocked(script: Path, *args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(blocked_command(script, *args), cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope='module')
def sdk_folder(tmp_path_factory, pose_meta_dir: Path, peaked_models) -> Path:
    """An MMDeploy SDK folder of the peaked pose ONNX with the official RTMPose-m SDK files."""
    folder = tmp_path_factory.mktemp('light_sdk')
    for name in ('deploy.json', 'detail.json', 'pipeline.json'):
        (folder / name).write_bytes((pose_meta_dir / name).read_bytes())
    (folder / 'end2end.onnx').write_bytes(peaked_models['dynamic'].read_bytes())
    return folder


#: SDK folders of the other keypoint sets: (our config, the official config name their ``detail.json`` gives, the
#: keypoint set, K).
SET_SDKS = {
    'wholebody': ('wholebody/rtmpose-t_coco-wholebody.py', 'rtmpose-m_8xb64-270e_coco-wholebody-256x192.py',
                  'coco_wholebody', 133),
    'hand': ('hand/rtmpose-m_hand5.py', 'rtmpose-m_8xb256-210e_hand5-256x256.py', 'coco_wholebody_hand', 21),
    'face': ('face/rtmpose-t_face6.py', 'rtmpose-t_8xb256-120e_face6-256x256.py', 'lapa', 106),
    'animal': ('ap10k/rtmpose-m_ap10k.py', 'rtmpose-m_8xb64-210e_ap10k-256x256.py', 'ap10k', 17),
}


@pytest.fixture(scope='module', params=list(SET_SDKS))
def set_sdk(request, tmp_path_factory, pose_meta_dir: Path) -> tuple[Path, str, int]:
    """(An MMDeploy SDK folder of a peaked model of the set, the set's name, K): the official RTMPose-m SDK files
    with the input size and the config name of the set's official model, as MMDeploy writes them."""
    import torch

    from rtmpose.deploy.torch_export import export_module
    from rtmpose.hub.openmmlab import build_rtmpose_model
    from rtmpose.testing.peaked import PeakedSimCCNet

    config, official, keypoint_set, k = SET_SDKS[request.param]
    torch.manual_seed(0)
    model = build_rtmpose_model(CONFIGS / config)
    size = tuple(model.head.decoder.input_size)
    folder = tmp_path_factory.mktemp(f'light_{request.param}')
    export_module(PeakedSimCCNet(model), size, folder / 'end2end.onnx')
    (folder / 'deploy.json').write_bytes((pose_meta_dir / 'deploy.json').read_bytes())
    detail = json.loads((pose_meta_dir / 'detail.json').read_text())
    detail['codebase']['config'] = f'../mmpose/configs/{official}'
    (folder / 'detail.json').write_text(json.dumps(detail))
    pipeline = json.loads((pose_meta_dir / 'pipeline.json').read_text())
    for task in pipeline['pipeline']['tasks']:
        for transform in task.get('transforms', []):
            if 'image_size' in transform:
                transform['image_size'] = list(size)
    (folder / 'pipeline.json').write_text(json.dumps(pipeline))
    return folder, keypoint_set, k


@pytest.fixture(scope='module')
def image(shared_dir: Path) -> Path:
    return require_shared(shared_dir, 'data/coco/000000197388.jpg')


@pytest.mark.parametrize('kind', ['onnx', 'sdk'])
def test_cli_runs_without_the_training_stack(tmp_path, kind, peaked_models, sdk_folder, det_dir, image):
    pose = peaked_models['dynamic'] if kind == 'onnx' else sdk_folder
    done = run_blocked(REPO_ROOT / 'demo' / 'pose_tracker_demo.py', image, '--det', det_dir, '--pose', pose,
                       '--out-dir', tmp_path, '--threads', '1', '--no-progress')
    assert done.returncode == 0, done.stderr
    records = json.loads((tmp_path / f'{image.stem}.json').read_text())
    assert records and all(len(r['keypoints']) == 17 * 3 for r in records)
    assert (tmp_path / image.name).is_file()  # the overlay


def test_cli_runs_each_keypoint_set_without_the_training_stack(tmp_path, set_sdk, det_dir, image):
    """The keypoint set of an SDK folder comes from the config name its detail.json gives, without MMPose."""
    folder, keypoint_set, k = set_sdk
    done = run_blocked(REPO_ROOT / 'demo' / 'pose_tracker_demo.py', image, '--det', det_dir, '--pose', folder,
                       '--out-dir', tmp_path, '--threads', '1', '--no-progress')
    assert done.returncode == 0, done.stderr
    assert f'({keypoint_set}, {k} keypoints)' in done.stdout
    records = json.loads((tmp_path / f'{image.stem}.json').read_text())
    assert records and all(len(r['keypoints']) == k * 3 for r in records)


def test_python_api_runs_without_the_training_stack(peaked_models, sdk_folder, det_dir, image):
    code = BLOCK_TRAINING_STACK + textwrap.dedent(f'''
        import cv2
        from rtmpose.hub import build_detector, build_pose_model
        from rtmpose.inference import PoseTracker

        frame = cv2.imread({str(image)!r})
        detector = build_detector({str(det_dir)!r}, threads=1)
        for pose in ({str(peaked_models['dynamic'])!r}, {str(sdk_folder)!r}):
            model = build_pose_model(pose, threads=1)
            people = PoseTracker(detector, model)(frame)
            print(model.backend.name, len(people), people[0].keypoints.shape)
    ''')
    done = subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split('\n')
    assert all(re.fullmatch(r'onnxruntime [1-9]\d* \(17, 2\)', line) for line in lines[:2]), done.stdout


def test_web_demo_answers_without_the_training_stack(tmp_path, peaked_models, det_dir, image):
    log = tmp_path / 'server.log'
    with log.open('w') as out:
        proc = subprocess.Popen(blocked_command(REPO_ROOT / 'demo' / 'webui.py', '--pose', peaked_models['dynamic'],
                                                '--det', det_dir, '--port', '0', '--threads', '1',
                                                '--work-dir', tmp_path / 'work'),
                                stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r'on (http://127\.0\.0\.1:\d+)', log.read_text())):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        url = found.group(1)
        with urllib.request.urlopen(f'{url}/api/options', timeout=30) as response:
            pose = json.loads(response.read())['poses'][0]
        frame = cv2.imencode('.jpg', cv2.imread(str(image)))[1].tobytes()
        query = urllib.parse.urlencode({'session': 'light', 'pose': pose})
        request = urllib.request.Request(f'{url}/api/webcam?{query}', data=frame, method='POST')
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.loads(response.read())
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert answer['people'] and all(len(p['keypoints']) == 51 for p in answer['people']), log.read_text()


def test_training_stack_features_say_how_to_install_it(tmp_path, peaked_models, det_dir, image, shared_dir):
    """The torch backend and pipeline AP (MMPose's metric): one line naming the stack and the install command."""
    torch_run = run_blocked(REPO_ROOT / 'demo' / 'pose_tracker_demo.py', image, '--det', det_dir,
                            '--det-backend', 'onnxruntime', '--pose', CONFIGS / 'rtmpose-t_coco.py', '--backend',
                            'torch', '--pose-checkpoint', tmp_path / 'missing.pth', '--out-dir', tmp_path / 'track')
    ann_file = require_shared(shared_dir, 'data/coco/test_coco.json')
    ap_run = run_blocked(REPO_ROOT / 'tools' / 'pipeline_ap.py', ann_file, '--pose', peaked_models['dynamic'],
                         '--gt-boxes', '--work-dir', tmp_path / 'ap', '--threads', '1')
    for done in (torch_run, ap_run):
        assert done.returncode == 1, done.stderr
        lines = done.stderr.strip().split('\n')
        assert len(lines) == 1 and lines[0].startswith('error: ') and lines[0].endswith(TRAIN_HINT), done.stderr

"""The ``rtmpose`` console command that ``pip install`` puts beside the interpreter (setup.cfg's entry point): each
subcommand's ``--help`` and one real run each."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rtmpose.apps.cli import COMMANDS
from rtmpose.hub.model_zoo import MODELS, model_names
from tests.conftest import require_shared

RTMPOSE = Path(sys.executable).parent / 'rtmpose'


def rtmpose(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    assert RTMPOSE.is_file(), f'{RTMPOSE} is missing: install the package (pip install --no-deps -e .)'
    return subprocess.run([str(RTMPOSE), *map(str, args)], capture_output=True, text=True, timeout=600,
                          env=env, cwd=Path.cwd())


@pytest.mark.parametrize('command', list(COMMANDS))
def test_each_subcommand_has_help(command):
    done = rtmpose(command, '--help')
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f'usage: rtmpose {command} ')


def test_an_unknown_subcommand_lists_the_commands():
    done = rtmpose('trak')
    assert done.returncode == 2 and all(command in done.stderr for command in COMMANDS)


def test_models_lists_every_name_and_what_is_cached(tmp_path):
    entry = MODELS['rtmdet-nano']
    (tmp_path / entry.sdk_zip.rsplit('/', 1)[1]).write_bytes(b'')  # where a download of the SDK zip goes
    done = rtmpose('models', env={**os.environ, 'RTMPOSE_CACHE': str(tmp_path)})
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[1:-1]}
    assert list(rows) == model_names()
    assert rows['rtmdet-nano'][-1] == 'onnx' and rows['rtmpose-m'][-1] == '-'
    assert done.stdout.splitlines()[-1] == f'cache: {tmp_path}'


def test_track_runs(tmp_path, peaked_models, det_dir, shared_dir):
    image = require_shared(shared_dir, 'data/coco/000000197388.jpg')
    done = rtmpose('track', image, '--det', det_dir, '--pose', peaked_models['dynamic'], '--out-dir', tmp_path,
                   '--threads', '1', '--no-progress')
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / f'{image.stem}.json').read_text())


def test_pipeline_ap_runs(tmp_path, peaked_models, shared_dir):
    pytest.importorskip('mmpose', reason="pipeline AP scores with MMPose's metric")
    ann_file = require_shared(shared_dir, 'data/coco/test_coco.json')
    done = rtmpose('pipeline-ap', ann_file, '--pose', peaked_models['dynamic'], '--gt-boxes', '--work-dir', tmp_path,
                   '--threads', '1')
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / 'pipeline_ap.json').read_text())
    assert summary['boxes'] == 'ground truth' and 0 <= summary['metrics']['coco/AP'] <= 1
    assert f'coco/AP: {summary["metrics"]["coco/AP"]:.4f}' in done.stdout


def test_webui_serves(tmp_path, peaked_models, det_dir):
    log = tmp_path / 'server.log'
    with log.open('w') as out:
        proc = subprocess.Popen([str(RTMPOSE), 'webui', '--pose', str(peaked_models['dynamic']), '--det',
                                 str(det_dir), '--port', '0', '--threads', '1', '--work-dir', str(tmp_path / 'work')],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r'on (http://127\.0\.0\.1:\d+)', log.read_text())):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        with urllib.request.urlopen(f'{found.group(1)}/api/options', timeout=30) as response:
            options = json.loads(response.read())
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert options['poses']

"""Kill a `mim train` run mid-epoch, resume it with --resume: it finishes with the weights of an uninterrupted run,
and no checkpoint is ever left half-written. Uses a tiny generated demo dataset (about a minute of CPU per run)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from tests.paths import CONFIGS, REPO_ROOT

MIM = str(Path(sys.executable).with_name('mim'))


def train_cmd(work_dir: Path, data_root: Path, resume: bool = False) -> list[str]:
    options = [
        f'train_dataloader.dataset.data_root={data_root}/', f'val_dataloader.dataset.data_root={data_root}/',
        f'val_evaluator.ann_file={data_root}/annotations/person_keypoints_val.json',
        'train_dataloader.dataset.demo_cfg.num_train=10', 'train_dataloader.dataset.demo_cfg.num_val=3',
        'val_dataloader.dataset.demo_cfg.num_train=10', 'val_dataloader.dataset.demo_cfg.num_val=3',
        'train_dataloader.batch_size=4', 'train_dataloader.num_workers=1', 'train_cfg.max_epochs=2',
        'train_cfg.val_interval=100', 'default_hooks.logger.interval=1', 'param_scheduler.0.end=4',
        'param_scheduler.1.begin=1', 'param_scheduler.1.end=2', 'param_scheduler.1.T_max=1',
    ]
    cmd = [MIM, 'train', 'mmpose', str(CONFIGS / 'rtmpose-t_demo.py'), '--work-dir', str(work_dir),
           '--cfg-options', *options]
    return cmd + (['--resume'] if resume else [])


def run(cmd: list[str], log: Path, kill_when: str | None = None) -> int:
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONUNBUFFERED='1')
    with open(log, 'w') as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT, env=env,
                                start_new_session=True)
        deadline = time.time() + 600
        while proc.poll() is None and time.time() < deadline:
            if kill_when and kill_when in log.read_text():
                os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, data workers included
                proc.wait()
                return -9
            time.sleep(0.2)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f'training did not finish in time; log: {log}')
    return proc.returncode


def final_weights(work_dir: Path) -> dict:
    return torch.load(work_dir / 'epoch_2.pth', map_location='cpu', weights_only=False)['state_dict']


@pytest.mark.slow
def test_killed_and_resumed_run_equals_uninterrupted_run(tmp_path):
    data_root = tmp_path / 'demo'
    straight, interrupted = tmp_path / 'straight', tmp_path / 'interrupted'
    assert run(train_cmd(straight, data_root), tmp_path / 'straight.log') == 0, (tmp_path / 'straight.log').read_text()

    # kill during the second epoch, after its first iteration was logged
    code = run(train_cmd(interrupted, data_root), tmp_path / 'killed.log', kill_when='Epoch(train)  [2][1/')
    assert code == -9, (tmp_path / 'killed.log').read_text()[-3000:]
    assert (interrupted / 'epoch_1.pth').is_file() and not (interrupted / 'epoch_2.pth').exists()
    assert run(train_cmd(interrupted, data_root, resume=True), tmp_path / 'resumed.log') == 0
    assert 'resumed' in (tmp_path / 'resumed.log').read_text().lower()

    a, b = final_weights(straight), final_weights(interrupted)
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(b[key], a[key], atol=1e-6, rtol=0, msg=key)
    assert not list(interrupted.rglob('*.part')), 'a partial checkpoint was left behind'

"""A tiny `mim train` run of configs/rtmpose-t_demo.py, shared by the tests that need a trained checkpoint."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.paths import CONFIGS, REPO_ROOT

MIM = str(Path(sys.executable).with_name('mim'))
DEMO_CONFIG = str(CONFIGS / 'rtmpose-t_demo.py')


def tiny_demo_options(data_root: Path) -> list[str]:
    """--cfg-options for a 2-epoch run on a 10-image demo set (about a minute of CPU)."""
    return [
        f'train_dataloader.dataset.data_root={data_root}/', f'val_dataloader.dataset.data_root={data_root}/',
        f'val_evaluator.ann_file={data_root}/annotations/person_keypoints_val.json',
        'train_dataloader.dataset.demo_cfg.num_train=10', 'train_dataloader.dataset.demo_cfg.num_val=3',
        'val_dataloader.dataset.demo_cfg.num_train=10', 'val_dataloader.dataset.demo_cfg.num_val=3',
        'train_dataloader.batch_size=2', 'train_cfg.max_epochs=2',
        'train_cfg.val_interval=100', 'default_hooks.logger.interval=1', 'param_scheduler.0.end=4',
        'param_scheduler.1.begin=1', 'param_scheduler.1.end=2', 'param_scheduler.1.T_max=1',
    ]


def train_cmd(work_dir: Path, data_root: Path, resume: bool = False) -> list[str]:
    cmd = [MIM, 'train', 'mmpose', DEMO_CONFIG, '--work-dir', str(work_dir), '--cfg-options',
           *tiny_demo_options(data_root)]
    return cmd + (['--resume'] if resume else [])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a distributed run's rendezvous)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def dist_train_cmd(work_dir: Path, data_root: Path, nproc: int = 2, resume: bool = False) -> list[str]:
    """``tools/dist_train.sh`` (torchrun and MMPose's train.py) of the tiny demo run with ``nproc`` CPU processes
    sharing the 2 images of a 1-process step (one image each for 2)."""
    cmd = ['env', f'PORT={free_port()}', f'PYTHON={sys.executable}', 'bash', str(REPO_ROOT / 'tools/dist_train.sh'),
           DEMO_CONFIG, str(nproc), '--work-dir', str(work_dir), '--cfg-options', *tiny_demo_options(data_root),
           f'train_dataloader.batch_size={2 // nproc}']
    return cmd + (['--resume'] if resume else [])


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc). torchrun starts its ranks in sessions of their own, so killing
    its process group leaves them running."""
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        try:
            todo += [int(c) for c in Path(f'/proc/{tree[-1]}/task/{tree[-1]}/children').read_text().split()]
        except OSError:
            pass
    return tree


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid``'s process group and every descendant (data workers and distributed ranks included)."""
    tree = process_tree(pid)
    os.killpg(pid, signal.SIGKILL)
    for p in tree:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run(cmd: list[str], log: Path, kill_when: str | None = None, timeout: float = 600, cwd: Path = REPO_ROOT) -> int:
    """Run ``cmd`` in ``cwd`` (in its own process group) logging to ``log``; SIGKILL it and all its descendants once
    the regular expression ``kill_when`` matches the log."""
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    with open(log, 'w') as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                start_new_session=True)
        deadline = time.time() + timeout
        while proc.poll() is None and time.time() < deadline:
            if kill_when and re.search(kill_when, log.read_text()):
                kill_tree(proc.pid)
                proc.wait()
                return -9
            time.sleep(0.05)
        if proc.poll() is None:
            kill_tree(proc.pid)
            pytest.fail(f'{cmd[:3]} did not finish in {timeout} s; log: {log.read_text()[-2000:]}')
    return proc.returncode


@pytest.fixture(scope='session')
def tiny_demo_run(tmp_path_factory) -> tuple[Path, Path]:
    """(work_dir, data_root) of an uninterrupted tiny demo training run; work_dir holds epoch_2.pth."""
    root = tmp_path_factory.mktemp('tiny_demo')
    work_dir, data_root = root / 'straight', root / 'demo'
    code = run(train_cmd(work_dir, data_root), root / 'straight.log')
    assert code == 0, (root / 'straight.log').read_text()[-3000:]
    return work_dir, data_root

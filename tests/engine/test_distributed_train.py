"""Proofs 2 and 4 on 2 gloo ranks through `tools/dist_train.sh` (torchrun). The tiny demo run trains, its loss
tracking the 1-process run; a SIGKILL of the job mid-epoch followed by `--resume` reproduces the uninterrupted 2-rank
run; a rank that dies ends the whole job quickly, non-zero, with a message naming it."""
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import torch

from tests.engine.conftest import REPO_ROOT, dist_train_cmd, kill_tree, process_tree, run

pytestmark = pytest.mark.slow


def final_weights(work_dir: Path) -> dict:
    return torch.load(work_dir / 'epoch_2.pth', map_location='cpu', weights_only=False)['state_dict']


def logged_losses(work_dir: Path) -> dict[int, float]:
    """Iteration -> logged training loss, from the run's ``vis_data/scalars.json``."""
    (scalars, ) = work_dir.glob('*/vis_data/scalars.json')
    records = [json.loads(line) for line in scalars.read_text().splitlines()]
    return {r['iter']: r['loss'] for r in records if 'loss' in r}


@pytest.fixture(scope='module')
def two_rank_run(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(work_dir, data_root, log) of an uninterrupted 2-rank run, which also generates its demo set."""
    root = tmp_path_factory.mktemp('two_ranks')
    work_dir, data_root, log = root / 'straight', root / 'demo', root / 'straight.log'
    assert run(dist_train_cmd(work_dir, data_root), log) == 0, log.read_text()[-3000:]
    return work_dir, data_root, log


def test_two_ranks_train_checkpoint_once_per_epoch_and_track_one_process(two_rank_run, tiny_demo_run):
    work_dir, data_root, log = two_rank_run
    text = log.read_text()
    assert 'SyncBatchNorm layers run as BatchNorm on this CPU rank' in text
    assert text.count('demo dataset written') == 1
    assert not [p for p in data_root.parent.iterdir() if p.name.startswith('.demo.')], 'generator leftovers'
    assert sorted(p.name for p in work_dir.glob('epoch_*.pth')) == ['epoch_1.pth', 'epoch_2.pth']
    assert (work_dir / 'training_curves.png').is_file()
    assert len(list(work_dir.glob('*/vis_data/scalars.json'))) == 1
    # rank 0 logs the loss of its own image; the 1-process run's loss sums its batch of the same 2 images
    ours, single = logged_losses(work_dir), logged_losses(tiny_demo_run[0])
    assert ours.keys() == single.keys()
    for it in ours:  # per-rank BatchNorm statistics (1 image, not 2) differ most in the first iterations
        assert ours[it] == pytest.approx(single[it] / 2, rel=0.35), it
    last_epoch = sorted(ours)[len(ours) // 2:]
    assert sum(ours[i] for i in last_epoch) == pytest.approx(sum(single[i] / 2 for i in last_epoch), rel=0.05)


def test_sigkill_and_resume_reproduce_the_uninterrupted_two_rank_run(two_rank_run, tmp_path):
    straight, data_root, _ = two_rank_run
    interrupted = tmp_path / 'interrupted'
    killed = run(dist_train_cmd(interrupted, data_root), tmp_path / 'killed.log',
                 kill_when=r'Epoch\(train\)\s+\[2\]\[\s*1/')
    assert killed == -9, (tmp_path / 'killed.log').read_text()[-3000:]
    time.sleep(3)  # no rank survives to write more
    assert (interrupted / 'epoch_1.pth').is_file() and not (interrupted / 'epoch_2.pth').exists()

    log = tmp_path / 'resumed.log'
    assert run(dist_train_cmd(interrupted, data_root, resume=True), log) == 0, log.read_text()[-3000:]
    assert 'resumed' in log.read_text().lower()
    a, b = final_weights(straight), final_weights(interrupted)
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(b[key], a[key], atol=1e-6, rtol=0, msg=key)
    assert not list(interrupted.rglob('*.part')), 'a partial checkpoint was left behind'


def rank_pid(pid: int, rank: int) -> int:
    """The pid of distributed rank ``rank`` below ``pid`` (the process whose environment holds ``RANK=rank``)."""
    for p in process_tree(pid)[1:]:
        if f'RANK={rank}'.encode() in Path(f'/proc/{p}/environ').read_bytes().split(b'\0'):
            return p
    raise LookupError(f'no process of rank {rank} below {pid}')


def test_a_killed_rank_ends_the_job_quickly_with_a_clear_message(two_rank_run, tmp_path):
    _, data_root, _ = two_rank_run
    log = tmp_path / 'train.log'
    cmd = dist_train_cmd(tmp_path / 'wd', data_root) + ['train_cfg.max_epochs=50']
    with open(log, 'w') as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                                env=dict(os.environ, PYTHONUNBUFFERED='1'), start_new_session=True)
        try:
            deadline = time.time() + 300
            while not re.search(r'Epoch\(train\)\s+\[2\]\[\s*1/', log.read_text()) and time.time() < deadline:
                assert proc.poll() is None, log.read_text()[-3000:]
                time.sleep(0.05)
            os.kill(rank_pid(proc.pid, 1), signal.SIGKILL)
            killed_at = time.time()
            code = proc.wait(timeout=60)
            took = time.time() - killed_at
        finally:
            if proc.poll() is None:
                kill_tree(proc.pid)
    text = log.read_text()
    assert code != 0 and took < 60, (code, took)
    assert 'ChildFailedError' in text and 'Signal 9 (SIGKILL)' in text, text[-3000:]
    assert re.search(r'rank\s*:\s*1 ', text), text[-3000:]
    assert not list((tmp_path / 'wd').rglob('*.part')), 'a partial checkpoint was left behind'
    for ckpt in (tmp_path / 'wd').glob('epoch_*.pth'):
        torch.load(ckpt, map_location='cpu', weights_only=False)

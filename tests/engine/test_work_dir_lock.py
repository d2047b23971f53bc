"""Issue 23 item 9: two runs into one work dir both finished and mixed their files. The second is refused, naming the
first; a killed run leaves no stale lock."""
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from rtmpose.engine import WorkDirInUseError
from tests.engine.conftest import kill_tree, run, train_cmd
from tests.engine.test_hardening_runs import ToyModel, toy_data

HOLDER = '''
import sys, time
from rtmpose.engine.hooks.work_dir_lock_hook import lock_work_dir
lock_work_dir(sys.argv[1], sys.argv[2], sys.argv[3])
print('locked', flush=True)
time.sleep(600)
'''


def hold_lock(work_dir, log_dir, config_dump) -> subprocess.Popen:
    """Another process that holds the lock of ``work_dir`` until killed."""
    proc = subprocess.Popen([sys.executable, '-c', HOLDER, str(work_dir), str(log_dir), str(config_dump)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == 'locked'
    return proc


def toy_run(work_dir) -> Runner:
    (work_dir.parent / 'toy.py').write_text('toy = 1\n')
    cfg = Config.fromfile(work_dir.parent / 'toy.py')
    return Runner(model=ToyModel(), work_dir=str(work_dir), train_dataloader=toy_data(),
                  optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)), train_cfg=dict(by_epoch=True, max_epochs=1),
                  default_scope='rtmpose', custom_hooks=[dict(type='WorkDirLockHook')], cfg=cfg,
                  experiment_name=f'lock{time.time()}')


def test_second_run_is_refused_naming_the_first_and_a_killed_one_leaves_no_stale_lock(tmp_path):
    work_dir = tmp_path / 'work'
    theirs = work_dir / '20260101_000000'
    (theirs / 'vis_data').mkdir(parents=True)
    (theirs / 'vis_data' / 'config.py').write_text('their config\n')
    (work_dir / 'toy.py').write_text('their config\n')
    holder = hold_lock(work_dir, theirs, work_dir / 'toy.py')
    try:
        runner = toy_run(work_dir)
        assert (work_dir / 'toy.py').read_text() != 'their config\n'  # mmengine dumped ours over it
        with pytest.raises(WorkDirInUseError, match=rf'(?s)in use by another run \(pid {holder.pid} on .*, started '
                                                    r'.*work_dir_lock_hook.*Pass another --work-dir'):
            runner.train()
        assert (work_dir / 'toy.py').read_text() == 'their config\n'
        assert not list(work_dir.glob('epoch_*.pth'))
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    runner = toy_run(work_dir)  # the killed holder's lock went with its process
    runner.train()
    assert (work_dir / 'epoch_1.pth').is_file()
    holder = hold_lock(work_dir, theirs, work_dir / 'toy.py')  # released at the end of the run
    holder.kill()
    holder.wait()


@pytest.mark.slow
def test_second_mim_train_into_a_work_dir_in_use_is_refused(tmp_path):
    work_dir, data_root = tmp_path / 'work', tmp_path / 'demo'
    first_log, second_log = tmp_path / 'first.log', tmp_path / 'second.log'
    with open(first_log, 'w') as out:
        first = subprocess.Popen(train_cmd(work_dir, data_root) + ['train_cfg.max_epochs=50'], stdout=out,
                                 stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONUNBUFFERED='1'),
                                 start_new_session=True)
    try:
        deadline = time.time() + 300
        while not re.search(r'Epoch\(train\)\s+\[1\]\[\s*1/', first_log.read_text()) and time.time() < deadline:
            assert first.poll() is None, first_log.read_text()[-3000:]
            time.sleep(0.1)
        dump = (work_dir / 'rtmpose-t_demo.py').read_text()
        code = run(train_cmd(work_dir, data_root) + ['train_cfg.max_epochs=3'], second_log, timeout=300)
        text = second_log.read_text()
        assert code != 0, text[-3000:]
        assert re.search(rf'{work_dir} is in use by another run \(pid \d+ on .*, started .*train\.py', text), text
        # reported as an input error (mim's own wrapper then says that the command failed)
        assert 'rtmpose: the run stopped (WorkDirInUseError)' in text and 'mmengine/runner' not in text, text
        assert (work_dir / 'rtmpose-t_demo.py').read_text() == dump
        assert first.poll() is None, 'the first run was disturbed'
    finally:
        kill_tree(first.pid)
        first.wait()

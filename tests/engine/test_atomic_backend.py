"""Checkpoint writes through the 'atomic_local' backend are all-or-nothing."""
import os
import subprocess
import sys

import pytest
from mmengine.fileio import get_file_backend

from rtmpose.engine import AtomicLocalBackend
from rtmpose.utils.atomic_write import atomic_write


def test_registered_and_writes(tmp_path):
    backend = get_file_backend(str(tmp_path), backend_args=dict(backend='atomic_local'))
    assert isinstance(backend, AtomicLocalBackend)
    target = tmp_path / 'sub' / 'epoch_1.pth'
    backend.put(b'new weights', target)
    assert target.read_bytes() == b'new weights'
    backend.put_text('text', tmp_path / 'last_checkpoint')
    assert (tmp_path / 'last_checkpoint').read_text() == 'text'
    assert sorted(p.name for p in tmp_path.rglob('*')) == ['epoch_1.pth', 'last_checkpoint', 'sub']


def test_failed_write_keeps_the_previous_file_and_leaves_no_partial(tmp_path, monkeypatch):
    target = tmp_path / 'epoch_1.pth'
    target.write_bytes(b'old')

    def interrupted(fd):  # as if the process were stopped mid-write
        raise KeyboardInterrupt

    monkeypatch.setattr(os, 'fsync', interrupted)
    with pytest.raises(KeyboardInterrupt):
        AtomicLocalBackend().put(b'new', target)
    monkeypatch.undo()
    assert target.read_bytes() == b'old'
    assert [p.name for p in tmp_path.iterdir()] == ['epoch_1.pth']


def test_registered_when_a_runner_looks_up_a_hook_in_our_scope():
    """Configs name 'atomic_local' without importing anything: the rtmpose HOOKS registry imports rtmpose.engine."""
    code = '''
from mmengine.fileio.backends.registry_utils import backends
from mmengine.registry import HOOKS, DefaultScope
import rtmpose.registry
assert 'atomic_local' not in backends
with DefaultScope.overwrite_default_scope('rtmpose'):
    HOOKS.build(dict(type='CheckpointHook'))
assert 'atomic_local' in backends
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]


def test_checkpoints_get_the_permissions_of_a_plain_file(tmp_path):
    """Issue 23 item 19: checkpoints were written mode 0600 (tempfile's), unreadable to the group a work dir is
    shared with; they follow the umask like a file ``torch.save`` creates."""
    old = os.umask(0o022)
    try:
        AtomicLocalBackend().put(b'weights', tmp_path / 'epoch_1.pth')
        with open(tmp_path / 'plain', 'wb'):
            pass
    finally:
        os.umask(old)
    assert (tmp_path / 'epoch_1.pth').stat().st_mode & 0o777 == (tmp_path / 'plain').stat().st_mode & 0o777 == 0o644


def test_atomic_write_text_and_refused_modes(tmp_path):
    with atomic_write(tmp_path / 'a' / 'scores.json', 'w') as f:
        f.write('{"AP": 0.7}')
    assert (tmp_path / 'a' / 'scores.json').read_text() == '{"AP": 0.7}'
    with pytest.raises(ValueError, match="mode 'wb' or 'w'"), atomic_write(tmp_path / 'b', 'a'):
        pass
    with pytest.raises(RuntimeError), atomic_write(tmp_path / 'a' / 'scores.json', 'w') as f:
        f.write('half')
        raise RuntimeError
    assert (tmp_path / 'a' / 'scores.json').read_text() == '{"AP": 0.7}'
    assert sorted(p.name for p in (tmp_path / 'a').iterdir()) == ['scores.json']

"""Checkpoint writes through the 'atomic_local' backend are all-or-nothing."""
import os
import subprocess
import sys

import pytest
from mmengine.fileio import get_file_backend

from rtmpose.engine import AtomicLocalBackend


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

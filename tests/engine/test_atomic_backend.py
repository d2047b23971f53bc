"""Checkpoint writes through the 'atomic_local' backend are all-or-nothing."""
import os

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

"""Write a file so that it is either the old one or the complete new one, whatever happens during the write."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

#: a write in progress is ``.<name>.<random>.part`` beside its target (removed when the write fails; a killed
#: process leaves it, and whoever owns the folder may remove files of this pattern, e.g. at the start of a run)
PARTIAL_PATTERN = '.*.part'


@contextmanager
def atomic_write(path: str | Path, mode: str = 'wb', encoding: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; when the block ends without an exception, flush it to disk
    and rename it to ``path`` (replacing an existing file in one step), else remove it.

    A process killed during the write leaves the previous ``path`` (or none), never a truncated one. The file gets
    the permissions a plain ``open(path, 'w')`` would give it (``0o666`` less the umask), unlike ``tempfile``'s
    ``0o600``. The folder of ``path`` is created when missing.

    Args:
        mode: ``'wb'`` (bytes) or ``'w'`` (text).
        encoding: The text encoding (text mode; default ``'utf-8'``).

    Example::

        with atomic_write('scores.json', 'w') as f:
            json.dump(scores, f)
    """
    if mode not in ('wb', 'w'):
        raise ValueError(f"atomic_write writes a whole file: mode 'wb' or 'w', got {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f'.{path.name}.{uuid.uuid4().hex[:8]}.part')
    # O_EXCL: never write into another writer's file; 0o666: the umask applies as for any new file
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(fd, mode, encoding=(encoding or 'utf-8') if mode == 'w' else None) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise

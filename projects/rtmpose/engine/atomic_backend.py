"""A local file backend whose writes are atomic, for checkpoints that are never left half-written."""
import os
import os.path as osp
import tempfile
from pathlib import Path

from mmengine.fileio import LocalBackend, register_backend


@register_backend('atomic_local')
class AtomicLocalBackend(LocalBackend):
    """:class:`mmengine.fileio.LocalBackend` that writes into a temporary file beside the target and renames it into
    place. A process killed mid-write leaves the previous file (or none), never a truncated one.

    Use it for checkpoints with ``default_hooks = dict(checkpoint=dict(backend_args=dict(backend='atomic_local')))``.
    """

    def put(self, obj: bytes, filepath: str | Path) -> None:
        filepath = str(filepath)
        os.makedirs(osp.dirname(filepath) or '.', exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=f'.{osp.basename(filepath)}.', suffix='.part',
                                       dir=osp.dirname(filepath) or '.')
        try:
            with os.fdopen(fd, 'wb') as f:
                f.write(obj)
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, filepath)
        except BaseException:
            if osp.exists(partial):
                os.remove(partial)
            raise

    def put_text(self, obj: str, filepath: str | Path, encoding: str = 'utf-8') -> None:
        self.put(obj.encode(encoding), filepath)

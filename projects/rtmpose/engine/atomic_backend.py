"""A local file backend whose writes are atomic, for checkpoints that are never left half-written."""
from pathlib import Path

from mmengine.fileio import LocalBackend, register_backend

from ..utils.atomic_write import atomic_write


@register_backend('atomic_local')
class AtomicLocalBackend(LocalBackend):
    """:class:`mmengine.fileio.LocalBackend` that writes through :func:`~rtmpose.utils.atomic_write.atomic_write`:
    into a temporary file beside the target, renamed into place. A process killed mid-write leaves the previous file
    (or none), never a truncated one; the file's permissions follow the umask, as ``torch.save`` into a path gives.

    Use it for checkpoints with ``default_hooks = dict(checkpoint=dict(backend_args=dict(backend='atomic_local')))``.
    """

    def put(self, obj: bytes, filepath: str | Path) -> None:
        with atomic_write(filepath) as f:
            f.write(obj)

    def put_text(self, obj: str, filepath: str | Path, encoding: str = 'utf-8') -> None:
        self.put(obj.encode(encoding), filepath)

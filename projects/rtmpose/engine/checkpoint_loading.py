"""Load the checkpoints a run names (``load_from``, ``mim test --checkpoint``, ``--resume``, ``init_cfg``
pretrained weights) under torch >= 2.6, without changing how anything else loads.

torch 2.6 made ``torch.load`` default to ``weights_only=True``. mmengine 0.10.x does not pass ``weights_only``, and
its checkpoints carry numpy metadata and ``HistoryBuffer`` objects, so OpenMMLab's official checkpoints and our own
fail with ``UnpicklingError``. :func:`trusted_checkpoints` swaps mmengine's loaders for local paths and http(s) URLs
for ones that load with ``weights_only=False`` for the duration of a ``with`` block, and puts mmengine's back after:
a checkpoint named in a config or on the command line is trusted, as mmengine assumes and as torch did before 2.6.
"""
import os
import os.path as osp
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from mmengine.runner.checkpoint import CheckpointLoader

from ..utils.checkpoint_fit import CheckpointFileError, check_checkpoint_file


def load_local_checkpoint(filename: str, map_location=None) -> dict:
    """``torch.load`` of a checkpoint the user named, with ``weights_only=False``; a file that is not a (complete)
    PyTorch checkpoint raises :class:`~rtmpose.utils.checkpoint_fit.CheckpointFileError` naming it."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    check_checkpoint_file(filename)
    try:
        return torch.load(filename, map_location=map_location, weights_only=False)
    except (EOFError, pickle.UnpicklingError) as err:  # truncated or corrupt ("Ran out of input")
        raise CheckpointFileError(f'{filename} is not a complete PyTorch checkpoint ({type(err).__name__}: {err}). '
                                  'Download or copy the .pth file again.') from err


def _load_http(filename: str, map_location=None, model_dir: str | None = None,
               progress: bool = os.isatty(0)) -> dict:
    return torch.hub.load_state_dict_from_url(filename, model_dir=model_dir, map_location=map_location,
                                              progress=progress, weights_only=False)


# CheckpointLoader prefix -> trusted loader; the same signatures as mmengine's ``load_from_local`` / ``load_from_http``
_TRUSTED_LOADERS = {'': load_local_checkpoint, 'http://': _load_http, 'https://': _load_http}


class _LoaderSwap:
    """Keeps the trusted loaders installed while at least one user holds them, and puts back the loaders found
    before when the last one lets go: uses may overlap without nesting (two hooks of one run exit in the order of
    their priority, not in reverse)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._replaced: dict = {}

    def acquire(self) -> None:
        with self._lock:
            if self._users == 0:
                self._replaced = {prefix: CheckpointLoader._schemes.get(prefix) for prefix in _TRUSTED_LOADERS}
                for prefix, loader in _TRUSTED_LOADERS.items():
                    CheckpointLoader.register_scheme(prefix, loader, force=True)
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                for prefix, loader in self._replaced.items():
                    if loader is None:
                        CheckpointLoader._schemes.pop(prefix, None)
                    else:
                        CheckpointLoader.register_scheme(prefix, loader, force=True)


_SWAP = _LoaderSwap()


@contextmanager
def trusted_checkpoints() -> Iterator[None]:
    """Within the block, :class:`mmengine.runner.CheckpointLoader` (``load_checkpoint``, ``Runner.resume``,
    ``init_cfg=dict(type='Pretrained')``, ``mmpose.apis.init_model``) loads local files and http(s) URLs with
    ``weights_only=False``; when the last such block ends the loaders registered before are restored. Runs of our
    configs use it through :class:`~rtmpose.engine.TrustedCheckpointHook`.

    Use it only around checkpoints the user named: full unpickling runs code from the file.

    Example::

        with trusted_checkpoints():
            model = init_model(config, checkpoint, device='cpu')
    """
    _SWAP.acquire()
    try:
        yield
    finally:
        _SWAP.release()

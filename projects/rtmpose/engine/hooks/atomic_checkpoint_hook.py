"""mmengine's checkpoint hook, reordered so that a run killed at any moment leaves a checkpoint to resume from."""
import glob
import os
import os.path as osp
import re
from collections.abc import Callable

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from ...registry import HOOKS
from ...utils.atomic_write import PARTIAL_PATTERN
from ...utils.checkpoint_fit import CheckpointFileError, check_checkpoint_file
from ..atomic_backend import AtomicLocalBackend

#: ``epoch_12.pth`` / ``iter_3000.pth``: the checkpoints ``--resume`` can continue from
_RESUMABLE = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


def resumable_checkpoints(work_dir: str) -> list[str]:
    """The resumable checkpoints (``epoch_N.pth`` / ``iter_N.pth``) in ``work_dir``, highest ``N`` first."""
    found = [(int(m.group(2)), name) for name in os.listdir(work_dir) if (m := _RESUMABLE.match(name))]
    return [osp.join(work_dir, name) for _, name in sorted(found, reverse=True)]


def newest_complete_checkpoint(work_dir: str, logger) -> str | None:
    """The newest resumable checkpoint in ``work_dir`` that is a complete PyTorch checkpoint, or ``None``; a damaged
    newer one (cut short by a copy, a full disk) is named in a warning and passed over. Checkpoints written through
    the ``'atomic_local'`` backend are complete whenever they exist."""
    for path in resumable_checkpoints(work_dir):
        try:
            check_checkpoint_file(path)
        except CheckpointFileError as err:
            logger.warning(f'{err} Resuming from the checkpoint before it.')
            continue
        return path
    return None


class _DeferRemoval:
    """A file backend whose ``remove`` / ``rmtree`` are recorded instead of done (everything else passes through)."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.pending: list[Callable[[], None]] = []

    def remove(self, path: str) -> None:
        self.pending.append(lambda: self._backend.remove(path))

    def rmtree(self, path: str) -> None:
        self.pending.append(lambda: self._backend.rmtree(path))

    def __getattr__(self, name: str):
        return getattr(self._backend, name)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """:class:`mmengine.hooks.CheckpointHook` that removes an outdated checkpoint (``max_keep_ckpts``, the previous
    ``best_*.pth``) only after the new checkpoint and ``last_checkpoint`` are in place.

    mmengine removes the old file first: a run killed while the new one is written is left with nothing to resume
    from. This hook also writes ``last_checkpoint`` atomically, removes the ``.part`` files a killed write left
    behind when the next run starts, and makes ``--resume`` continue from the newest checkpoint in the run's own
    work dir (``last_checkpoint`` holds an absolute path, which names the original folder in a copied work dir).
    Same arguments as ``CheckpointHook``; use ``backend_args=dict(backend='atomic_local')`` so that checkpoint files
    are never half-written either.
    """

    def before_run(self, runner) -> None:
        super().before_run(runner)
        if is_main_process():
            _remove_partial_files(runner, runner.work_dir)
        if runner._resume and runner._load_from is None:
            found = newest_complete_checkpoint(runner.work_dir, runner.logger)
            if found is not None:
                runner.logger.info(f'Resuming from the newest checkpoint in the work dir: {found}')
                runner._load_from = found

    def before_train(self, runner) -> None:
        super().before_train(runner)
        # a resumed run's best checkpoint is named with the absolute path of the work dir it was saved in
        if getattr(self, 'best_ckpt_path', None):
            self.best_ckpt_path = self.file_backend.join_path(self.out_dir, osp.basename(self.best_ckpt_path))
        for key, path in getattr(self, 'best_ckpt_path_dict', {}).items():
            if path:
                self.best_ckpt_path_dict[key] = self.file_backend.join_path(self.out_dir, osp.basename(path))
        loop = runner.train_loop
        if runner._resume and loop.iter >= loop.max_iters:
            raise RuntimeError(
                f'--resume continued from {runner._load_from}, which is already at the end of training (epoch '
                f'{loop.epoch}, iteration {loop.iter} of {loop.max_iters}): nothing would be trained. To train '
                'longer, raise train_cfg.max_epochs; to fine-tune from these weights, pass the checkpoint as '
                'load_from (--cfg-options load_from=PATH) without --resume, in a new work dir.')

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        backend, self.file_backend = self.file_backend, _DeferRemoval(self.file_backend)
        try:
            super()._save_checkpoint_with_step(runner, step, meta)
        finally:
            pending, self.file_backend = self.file_backend.pending, backend
        if is_main_process():
            # mmengine wrote last_checkpoint with a plain open(); write it again atomically before anything goes
            AtomicLocalBackend().put_text(self.last_ckpt, osp.join(runner.work_dir, 'last_checkpoint'))
            for remove in pending:
                remove()

    def _save_best_checkpoint(self, runner, metrics) -> None:
        backend, self.file_backend = self.file_backend, _DeferRemoval(self.file_backend)
        try:
            super()._save_best_checkpoint(runner, metrics)
        finally:
            pending, self.file_backend = self.file_backend.pending, backend
        for remove in pending:
            remove()


def _remove_partial_files(runner, work_dir: str) -> None:
    """Remove the ``.<name>.<random>.part`` files of writes that a killed run did not finish."""
    for partial in glob.glob(osp.join(glob.escape(work_dir), PARTIAL_PATTERN)):
        os.remove(partial)
        runner.logger.info(f'Removed {partial}, left by an interrupted write')

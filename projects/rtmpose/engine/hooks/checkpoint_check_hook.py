"""Fail fast, with a clear message, when the checkpoint to load does not exist."""
from mmengine.hooks import Hook

from ...registry import HOOKS
from ...utils.preflight import check_checkpoint


@HOOKS.register_module()
class CheckpointCheckHook(Hook):
    """Before the run (and before mmengine loads weights), check that ``load_from`` / ``--checkpoint`` exists.

    A resumed run finds its own checkpoint in the work dir and is not checked.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        if not runner._resume:
            check_checkpoint(runner._load_from)

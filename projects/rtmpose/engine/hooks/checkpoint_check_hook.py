"""Fail fast, with a clear message, when the checkpoint to load does not exist, is no checkpoint, or does not fit."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from ...registry import HOOKS
from ...utils.checkpoint_fit import CheckpointMismatchError, check_weights_fit
from ...utils.preflight import check_checkpoint


@HOOKS.register_module()
class CheckpointCheckHook(Hook):
    """Before the run (and before mmengine loads weights), check that ``load_from`` / ``--checkpoint`` exists and
    is a PyTorch checkpoint; once it is loaded, that its weights fit the model
    (:func:`~rtmpose.utils.checkpoint_fit.check_weights_fit`).

    A checkpoint that does not fit stops ``mim test`` / validation and ``--resume`` with
    :class:`~rtmpose.utils.checkpoint_fit.CheckpointMismatchError` (mmengine would load what fits and evaluate
    random weights). A training run's ``load_from`` may fine-tune from another model (e.g. another keypoint set), so
    there the mismatch is logged as a warning. A resumed run finds its own checkpoint in the work dir; it is not
    checked before it is loaded.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        if not runner._resume:
            check_checkpoint(runner._load_from)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        ratio = float(getattr(getattr(model, 'head', None), 'simcc_split_ratio', 2.0))
        try:
            check_weights_fit(model.state_dict(), checkpoint, str(runner._load_from), ratio)
        except CheckpointMismatchError as err:
            if runner._resume or not isinstance(runner._train_loop, BaseLoop):
                raise
            runner.logger.warning(f'{err} Fine-tuning from the tensors that fit.')

"""Stop a diverged run before it saves non-finite weights over the good checkpoints."""
import math

import torch
from mmengine.hooks import Hook

from ...registry import HOOKS


class DivergedError(FloatingPointError):
    """Training produced a non-finite loss or non-finite weights."""


_ADVICE = ('The checkpoints already in the work dir are kept. Lower the learning rate (optim_wrapper.optimizer.lr, '
           'or --auto-scale-lr for a smaller batch), check the data for NaN/inf values, then start again with '
           '--resume or from load_from.')


@HOOKS.register_module()
class FiniteCheckHook(Hook):
    """Raise :class:`DivergedError` as soon as a training loss is NaN or infinite, and before a checkpoint with
    non-finite weights is saved, so a diverged run stops with a clear message and the good checkpoints stay.

    The loss is checked after every iteration (the ``loss*`` entries of ``train_step``'s ``outputs``, ``()``
    tensors or floats), the weights in ``before_save_checkpoint`` (one pass over the checkpoint's state dict).
    """

    priority = 'HIGH'  # before EMAHook averages the weights and before CheckpointHook saves them

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs: dict | None = None) -> None:
        for name, value in (outputs or {}).items():
            if not name.startswith('loss'):
                continue
            value = float(value.detach().float().mean()) if torch.is_tensor(value) else value
            if isinstance(value, float) and not math.isfinite(value):
                raise DivergedError(f'training diverged: {name} is {value} at epoch {runner.epoch + 1}, iteration '
                                    f'{runner.iter + 1}. {_ADVICE}')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        for name, tensor in checkpoint.get('state_dict', {}).items():
            if tensor.is_floating_point() and not torch.isfinite(tensor).all():
                raise DivergedError(f'training diverged: the weights {name} hold NaN or infinite values at epoch '
                                    f'{runner.epoch + 1}, iteration {runner.iter}; the checkpoint is not saved. '
                                    f'{_ADVICE}')

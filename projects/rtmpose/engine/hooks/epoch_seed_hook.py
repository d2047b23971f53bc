"""Seed the data-augmentation random state from (seed, epoch) at the start of every training epoch."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from ...registry import HOOKS


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Reseed Python's, NumPy's and torch's global random generators at the start of each training epoch.

    With ``num_workers=0`` the data transforms draw from the main process's global generators, whose state a
    checkpoint does not hold: a run resumed from ``epoch_N.pth`` would otherwise augment epoch ``N + 1`` with the
    generator state of a fresh start, not the one of an uninterrupted run. Seeding every epoch from
    ``(seed, epoch)`` makes each epoch's draws independent of what ran before, so a resumed run repeats the
    uninterrupted one exactly. (Data-loader workers are seeded by mmengine's ``worker_init_fn``; this hook does not
    touch them.)

    Args:
        seed: Base seed; default: the runner's seed (``randomness.seed``).
    """

    priority = 'VERY_HIGH'

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def before_train_epoch(self, runner: Runner) -> None:
        base = runner.seed if self.seed is None else self.seed
        state = np.random.SeedSequence([base, runner.epoch]).generate_state(1)[0]
        random.seed(int(state))
        np.random.seed(int(state))
        torch.manual_seed(int(state))

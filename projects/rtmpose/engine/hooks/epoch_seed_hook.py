"""Seed the data-augmentation random state from (seed, epoch, rank) at the start of every training epoch."""
import random

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.runner import Runner

from ...registry import HOOKS


def epoch_seed(seed: int, epoch: int, rank: int = 0) -> int:
    """The seed of ``rank``'s augmentation stream in ``epoch``; rank 0's (a single process's) ignores the rank, so
    a one-process run draws what it drew before ranks were counted."""
    entropy = [seed, epoch] if rank == 0 else [seed, epoch, rank]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0])


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Reseed Python's, NumPy's and torch's global random generators at the start of each training epoch.

    With ``num_workers=0`` the data transforms draw from the main process's global generators, whose state a
    checkpoint does not hold: a run resumed from ``epoch_N.pth`` would otherwise augment epoch ``N + 1`` with the
    generator state of a fresh start, not the one of an uninterrupted run. Seeding every epoch from
    ``(seed, epoch, rank)`` makes each epoch's draws independent of what ran before, so a resumed run repeats the
    uninterrupted one exactly, and gives every rank of a distributed run its own stream (ranks seeded alike would
    apply the same flips, scales and rotations to their images in the same order). (Data-loader workers are
    seeded by mmengine's ``worker_init_fn`` per rank and worker; this hook does not touch them.)

    Args:
        seed: Base seed; default: the runner's seed (``randomness.seed``).
    """

    priority = 'VERY_HIGH'

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def before_train_epoch(self, runner: Runner) -> None:
        state = epoch_seed(runner.seed if self.seed is None else self.seed, runner.epoch, get_rank())
        random.seed(state)
        np.random.seed(state)
        torch.manual_seed(state)

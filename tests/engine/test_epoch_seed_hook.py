"""EpochSeedHook: each epoch's augmentation draws depend on (seed, epoch) only."""
import random
from types import SimpleNamespace

import numpy as np
import torch

from rtmpose.engine import EpochSeedHook


def draws() -> tuple:
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def start_epoch(hook: EpochSeedHook, seed: int, epoch: int) -> tuple:
    hook.before_train_epoch(SimpleNamespace(seed=seed, epoch=epoch))
    return draws()


def test_same_epoch_same_draws_whatever_ran_before():
    hook = EpochSeedHook()
    first = start_epoch(hook, seed=21, epoch=3)
    for _ in range(100):  # the state an uninterrupted run reaches by the end of an epoch
        draws()
    assert start_epoch(hook, seed=21, epoch=3) == first


def test_epochs_and_seeds_differ():
    hook = EpochSeedHook()
    seen = {start_epoch(hook, seed, epoch) for seed in (0, 21) for epoch in range(5)}
    assert len(seen) == 10


def test_explicit_seed_overrides_the_runner_seed():
    assert start_epoch(EpochSeedHook(seed=7), seed=21, epoch=1) == start_epoch(EpochSeedHook(), seed=7, epoch=1)

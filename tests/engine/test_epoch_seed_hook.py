"""EpochSeedHook: each epoch's augmentation draws depend on (seed, epoch, rank) only."""
import random
from types import SimpleNamespace

import numpy as np
import torch

from rtmpose.engine import EpochSeedHook
from rtmpose.engine.hooks.epoch_seed_hook import epoch_seed


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


def test_every_rank_draws_its_own_stream(monkeypatch):
    from rtmpose.engine.hooks import epoch_seed_hook
    per_rank = []
    for rank in range(4):
        monkeypatch.setattr(epoch_seed_hook, 'get_rank', lambda rank=rank: rank)
        per_rank.append(start_epoch(EpochSeedHook(), seed=21, epoch=3))
    assert len(set(per_rank)) == 4
    monkeypatch.setattr(epoch_seed_hook, 'get_rank', lambda: 1)
    assert start_epoch(EpochSeedHook(), seed=21, epoch=3) == per_rank[1]  # still deterministic


def test_a_single_process_keeps_the_stream_of_seed_and_epoch():
    # rank 0 (and a run without ranks) seeds from (seed, epoch) alone: one-process results are unchanged
    assert epoch_seed(21, 3) == epoch_seed(21, 3, rank=0) == int(np.random.SeedSequence([21, 3]).generate_state(1)[0])
    assert epoch_seed(21, 3, rank=1) != epoch_seed(21, 3)

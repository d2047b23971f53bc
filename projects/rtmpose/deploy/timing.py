"""Interleaved timing for speed ratios on shared machines: the runs being compared take turns, so load from other
processes hits them alike, and ratios are taken round by round."""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable


def interleaved_times(runs: dict[str, Callable[[], object]], rounds: int, warmup: int = 3,
                      min_seconds: float = 0.0) -> dict[str, list[float]]:
    """Wall times in ms of each callable over at least ``rounds`` rounds and ``min_seconds``; every round runs each
    once, the order rotating from round to round, so that the i-th times of all callables were taken next to each
    other. ``warmup`` untimed rounds come first (and give the round time ``min_seconds`` is turned into rounds by)."""
    names = list(runs)
    start = time.perf_counter()
    for _ in range(warmup):
        for name in names:
            runs[name]()
    if min_seconds > 0:
        round_seconds = (time.perf_counter() - start) / max(warmup, 1)
        rounds = max(rounds, math.ceil(min_seconds / max(round_seconds, 1e-9)))
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            start = time.perf_counter()
            runs[name]()
            times[name].append((time.perf_counter() - start) * 1e3)
    return times


def paired_ratio(a: list[float], b: list[float]) -> float:
    """Median over rounds of ``a[i] / b[i]`` (e.g. the speed-up of ``b`` over ``a``): robust to the load drifting
    during the run."""
    return statistics.median(x / y for x, y in zip(a, b))

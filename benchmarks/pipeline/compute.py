"""The compute bound of the pose stage: the network's multiply-adds and this machine's matrix-multiply rate."""
from __future__ import annotations

import logging
import time
import warnings

from .workload import pose_config


def pose_multiply_adds(arch: str) -> int:
    """Multiply-adds of one crop of the pose model ``arch`` (a key of :data:`.workload.POSE_CONFIGS`; mmengine's
    ``get_model_complexity_info`` on the network as exported, input 1x3x256x192: the count MMPose reports as
    FLOPs)."""
    import torch
    from mmengine.analysis import get_model_complexity_info
    from mmengine.logging import MMLogger

    from rtmpose.hub.openmmlab import SimCCNet, build_rtmpose_model

    network = SimCCNet(build_rtmpose_model(pose_config(arch))).eval()
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.ERROR)  # one warning per operator it does not count (activations, norms)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            info = get_model_complexity_info(network, inputs=(torch.zeros(1, 3, 256, 192),), show_table=False,
                                             show_arch=False)
    finally:
        logger.setLevel(level)
    return int(info['flops'])


def matmul_rates(threads: int, size: int = 4096, repeats: int = 5) -> dict[str, float]:
    """This machine's matrix-multiply rate (GFLOP/s, best of ``repeats``) for ``size`` x ``size`` float32 and
    bfloat16 matrices with torch on ``threads`` threads: what dense network layers can get at most, roughly."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    rates = {}
    try:
        for name, dtype in (('float32', torch.float32), ('bfloat16', torch.bfloat16)):
            a, b = torch.rand(size, size, dtype=dtype), torch.rand(size, size, dtype=dtype)
            a @ b
            best = float('inf')
            for _ in range(repeats):
                tic = time.perf_counter()
                a @ b
                best = min(best, time.perf_counter() - tic)
            rates[name] = 2 * size ** 3 / best / 1e9
    finally:
        torch.set_num_threads(previous)
    return rates

"""Run an OpenMMLab training or testing script as one rank of a ``torchrun`` job, on GPUs or on CPUs.

    torchrun --nproc-per-node 2 -m rtmpose.engine.dist_launch <mmpose>/.mim/tools/train.py CONFIG --launcher pytorch

mmengine's ``init_dist`` selects the rank's GPU (``torch.cuda.set_device``) before it creates the process group, which
fails on a machine without GPUs. On such a machine this module creates the process group first, over gloo, from the
environment ``torchrun`` sets (``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``); mmengine then finds it
ready and skips its own set-up. With GPUs it only runs the script: mmengine sets up NCCL as configured.
"""
import os
import runpy
import sys

import torch
import torch.distributed as torch_dist
from mmengine.logging import print_log


def init_cpu_process_group() -> bool:
    """Create the default process group over gloo when this is one of several ranks on a machine without GPUs;
    returns whether it did."""
    if int(os.environ.get('WORLD_SIZE', '1')) < 2 or torch.cuda.is_available() or torch_dist.is_initialized():
        return False
    torch_dist.init_process_group('gloo')
    if torch_dist.get_rank() == 0:
        print_log(f'no GPU: {torch_dist.get_world_size()} CPU processes communicate over gloo', logger='current')
    return True


def main(argv: list[str] | None = None) -> None:
    """Run ``argv[0]`` (a script path) with the arguments ``argv[1:]`` as if it were started directly."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or not os.path.isfile(argv[0]):
        sys.exit('usage: python -m rtmpose.engine.dist_launch SCRIPT [ARGS...] (SCRIPT: an existing file, e.g. '
                 "MMPose's tools/train.py)")
    init_cpu_process_group()
    sys.argv = list(argv)
    runpy.run_path(argv[0], run_name='__main__')


if __name__ == '__main__':
    main()

"""The embedded demo dataset as an MMPose dataset: COCO-format, generated on first use."""
import os

from mmengine.dist import barrier, get_rank, is_distributed
from mmengine.logging import print_log

from ..registry import DATASETS
from ..synthetic import ensure_demo_dataset
from ..utils.data_scan import DataError
from .checked_datasets import CocoDataset


@DATASETS.register_module()
class DemoCocoDataset(CocoDataset):
    """:class:`CocoDataset` over the synthetic person-keypoint set that
    :func:`rtmpose.synthetic.ensure_demo_dataset` writes into ``data_root`` (generated when absent, reused when
    present with the same settings). A ``data_root`` that holds a demo set of other settings, or files the generator
    did not write, is never replaced: :class:`~rtmpose.utils.data_scan.DataError` says to give these settings a
    folder of their own (``configs/rtmpose-t_demo.py`` names ``data_root`` after ``demo_cfg``).

    In a distributed run the first process of each node (local rank 0) generates the set while the others wait at a
    barrier, then find it complete: it is written once per node (once in all if the nodes share ``data_root``), and
    no rank reads a half-written folder (the generator renames the finished folder into place).

    Args:
        demo_cfg: ``num_train``, ``num_val`` and ``seed`` of the generator. ``None`` reads ``data_root`` as it is,
            like :class:`CocoDataset` (e.g. to test a demo-trained model on real COCO data).
        *args, **kwargs: As :class:`mmpose.datasets.CocoDataset`.
    """

    def __init__(self, *args, demo_cfg: dict | None = None, **kwargs) -> None:
        if demo_cfg is not None:
            _ensure_once_per_node(kwargs.get('data_root') or 'data/demo/', demo_cfg)
        super().__init__(*args, **kwargs)


def _ensure_once_per_node(root: str, demo_cfg: dict) -> None:
    """Generate the demo set at ``root`` in local rank 0; the other ranks wait for it, then check it."""
    # torchrun, torch.distributed.launch and mmengine's slurm set-up export LOCAL_RANK (mmengine's get_local_rank
    # needs a node group no launcher creates); without it, rank 0 alone generates and the others check afterwards
    first = not is_distributed() or int(os.environ.get('LOCAL_RANK', get_rank())) == 0
    if first:
        try:
            summary = ensure_demo_dataset(root, **demo_cfg, progress=_log_progress)
        except FileExistsError as err:  # another set or a user's files there: the message says what to do
            raise DataError(str(err)) from err
        if summary['generated']:
            print_log(f'demo dataset written to {root} in {summary["seconds"]:.0f} s', 'current')
    if is_distributed():
        barrier()
    if not first:
        ensure_demo_dataset(root, **demo_cfg)


def _log_progress(split: str, done: int, total: int) -> None:
    if done % 250 == 0 or done == total:
        print_log(f'generating demo dataset ({split}): {done}/{total} images', 'current')

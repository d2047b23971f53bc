"""The embedded demo dataset as an MMPose dataset: COCO-format, generated on first use."""
from mmengine.logging import print_log

from ..registry import DATASETS
from ..synthetic import ensure_demo_dataset
from .checked_datasets import CocoDataset


@DATASETS.register_module()
class DemoCocoDataset(CocoDataset):
    """:class:`CocoDataset` over the synthetic person-keypoint set that
    :func:`rtmpose.synthetic.ensure_demo_dataset` writes into ``data_root`` (generated when absent, reused when
    present with the same settings).

    Args:
        demo_cfg: ``num_train``, ``num_val`` and ``seed`` of the generator. ``None`` reads ``data_root`` as it is,
            like :class:`CocoDataset` (e.g. to test a demo-trained model on real COCO data).
        *args, **kwargs: As :class:`mmpose.datasets.CocoDataset`.
    """

    def __init__(self, *args, demo_cfg: dict | None = None, **kwargs) -> None:
        if demo_cfg is not None:
            root = kwargs.get('data_root') or 'data/demo/'
            summary = ensure_demo_dataset(root, **demo_cfg, progress=_log_progress)
            if summary['generated']:
                print_log(f'demo dataset written to {root} in {summary["seconds"]:.0f} s', 'current')
        super().__init__(*args, **kwargs)


def _log_progress(split: str, done: int, total: int) -> None:
    if done % 250 == 0 or done == total:
        print_log(f'generating demo dataset ({split}): {done}/{total} images', 'current')

"""The datasets of the other benchmarks, in the ``rtmpose`` scope, name a missing input and where its data goes before
reading anything; the class is MMPose's otherwise."""
import pytest
from mmpose.registry import DATASETS

from rtmpose import registry as rtmpose_registry
from rtmpose.datasets.benchmark_datasets import CHECKED, HINTS
from rtmpose.testing.reference import scope
from rtmpose.utils import MissingInputError

NAMES = sorted(CHECKED) + ['CocoWholeBodyDataset', 'MpiiDataset', 'HalpeHandDataset']


@pytest.mark.parametrize('name', NAMES)
def test_missing_dataset_folder_is_named_with_the_fix(name, tmp_path):
    cls = rtmpose_registry.DATASETS.get(name)
    assert cls.__module__.startswith('rtmpose.') and any(base.__module__.startswith('mmpose.') for base in cls.__mro__)
    message = rf'{name}: dataset folder not found: .*nope.*Download'
    with scope('rtmpose'), pytest.raises(MissingInputError, match=message):
        DATASETS.build(dict(type=name, data_root=str(tmp_path / 'nope'), ann_file='a.json', test_mode=True))
    assert name not in HINTS or HINTS[name].startswith('Download')


def test_missing_mpii_head_boxes_are_named(shared_dir, tmp_path):
    with scope('rtmpose'), pytest.raises(MissingInputError, match=r"head-box file not found: .*gt_val\.mat"):
        DATASETS.build(dict(type='MpiiDataset', data_root=str(shared_dir / 'data/mpii'), ann_file='test_mpii.json',
                            headbox_file=str(tmp_path / 'mpii_gt_val.mat'), test_mode=True))

"""Datasets: MMPose's keypoint datasets with input checks (``checked_datasets``, ``benchmark_datasets``), Halpe's hands
and the synthetic demo dataset."""
from .benchmark_datasets import CHECKED, CocoWholeBodyDataset, MpiiDataset
from .checked_datasets import AicDataset, CocoDataset
from .demo_dataset import DemoCocoDataset
from .halpe_hand import HalpeHandDataset

__all__ = ['AicDataset', 'CHECKED', 'CocoDataset', 'CocoWholeBodyDataset', 'DemoCocoDataset', 'HalpeHandDataset',
           'MpiiDataset']

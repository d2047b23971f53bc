"""Datasets: MMPose's COCO-style datasets with input checks, and the synthetic demo dataset."""
from .checked_datasets import AicDataset, CocoDataset
from .demo_dataset import DemoCocoDataset

__all__ = ['AicDataset', 'CocoDataset', 'DemoCocoDataset']

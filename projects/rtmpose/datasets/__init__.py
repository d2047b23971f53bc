"""Datasets: MMPose's COCO-style datasets with input checks, and the embedded synthetic demo dataset."""
from .checked_datasets import AicDataset, CocoDataset
from .demo_dataset import DemoCocoDataset
from .demo_generator import ensure_demo_dataset, generate_demo_dataset

__all__ = ['AicDataset', 'CocoDataset', 'DemoCocoDataset', 'ensure_demo_dataset', 'generate_demo_dataset']

"""MMPose's COCO-style datasets, registered in the ``rtmpose`` scope under their own names, with an input check.

They behave exactly like MMPose's classes, but a missing dataset folder, annotation file, image folder or
detection-box file raises :class:`rtmpose.utils.MissingInputError` that names the path and the fix, before any data
is read.
"""
from mmpose.datasets import AicDataset as _AicDataset
from mmpose.datasets import CocoDataset as _CocoDataset

from ..registry import DATASETS
from ..utils.preflight import check_dataset_files


class _CheckedFiles:
    """Mixin: check the files named in the keyword arguments before the dataset's own ``__init__``."""

    hint = 'Check the dataset paths in the config'

    def __init__(self, *args, **kwargs) -> None:
        check_dataset_files(type(self).__name__, kwargs.get('data_root'), kwargs.get('ann_file'),
                            kwargs.get('data_prefix'), kwargs.get('bbox_file'), self.hint)
        super().__init__(*args, **kwargs)


@DATASETS.register_module(name='CocoDataset')
class CocoDataset(_CheckedFiles, _CocoDataset):
    hint = ('Download COCO 2017 into data/coco (annotations/person_keypoints_{train,val}2017.json, train2017/, '
            'val2017/, person_detection_results/), or train on the embedded demo set: '
            'mim train mmpose configs/rtmpose-t_demo.py')


@DATASETS.register_module(name='AicDataset')
class AicDataset(_CheckedFiles, _AicDataset):
    hint = 'Download AI Challenger keypoints into data/aic (annotations/aic_train.json and the train images)'

"""MMPose's COCO-style datasets, registered in the ``rtmpose`` scope under their own names, with input checks.

They behave exactly like MMPose's classes, but a missing dataset folder, annotation file, image folder or
detection-box file raises :class:`rtmpose.utils.MissingInputError` that names the path and the fix, before any data
is read; and an annotation file that does not parse, gives no usable person, has another keypoint count than the
dataset or NaN values, or names missing images, raises :class:`rtmpose.utils.data_scan.DataError` when the dataset
is built (before training starts), not at the batch that holds the fault.
"""
import json

from mmpose.datasets import AicDataset as _AicDataset
from mmpose.datasets import CocoDataset as _CocoDataset

from ..registry import DATASETS
from ..utils.data_scan import DataError, check_images_exist, check_instances
from ..utils.preflight import check_dataset_files


class _CheckedFiles:
    """Mixin: check the files named in the keyword arguments before the dataset's own ``__init__``."""

    hint = 'Check the dataset paths in the config'

    def __init__(self, *args, **kwargs) -> None:
        check_dataset_files(type(self).__name__, kwargs.get('data_root'), kwargs.get('ann_file'),
                            kwargs.get('data_prefix'), kwargs.get('bbox_file'), self.hint)
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> list[dict]:
        name = type(self).__name__
        try:
            data_list = super().load_data_list()
        except json.JSONDecodeError as err:
            raise DataError(f'{name}: annotation file {self.ann_file} is not valid JSON ({err}): it is truncated or '
                            'not an annotation file. Download or generate it again.') from err
        except ValueError as err:
            if 'need at least one array' not in str(err):
                raise
            data_list = []
        instances = [item for item in data_list if 'keypoints' in item]
        check_instances(instances, self.metainfo['num_keypoints'], self.ann_file, name, self.test_mode)
        check_images_exist((item['img_path'] for item in data_list if item.get('img_path')), name)
        return data_list


@DATASETS.register_module(name='CocoDataset')
class CocoDataset(_CheckedFiles, _CocoDataset):
    hint = ('Download COCO 2017 into data/coco (annotations/person_keypoints_{train,val}2017.json, train2017/, '
            'val2017/, person_detection_results/), or train on the embedded demo set: '
            'mim train mmpose configs/rtmpose-t_demo.py')


@DATASETS.register_module(name='AicDataset')
class AicDataset(_CheckedFiles, _AicDataset):
    hint = 'Download AI Challenger keypoints into data/aic (annotations/aic_train.json and the train images)'

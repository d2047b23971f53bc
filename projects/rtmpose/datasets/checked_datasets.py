"""MMPose's COCO-style datasets, registered in the ``rtmpose`` scope under their own names, with input checks.

They behave exactly like MMPose's classes, but a missing dataset folder, annotation file, image folder or
detection-box file raises :class:`rtmpose.utils.MissingInputError` that names the path and the fix, before any data
is read; and an annotation file that does not parse, gives no usable person, has another keypoint count than the
dataset or NaN values, a keypoint list whose length is not a multiple of 3, or names images that are missing or
cannot be read (:func:`rtmpose.utils.data_scan.image_problem`: headers, not pixels), raises
:class:`rtmpose.utils.data_scan.DataError` naming the file when the dataset is built (before training starts), not
at the batch that holds the fault.
"""
import json

from mmpose.datasets import AicDataset as _AicDataset
from mmpose.datasets import CocoDataset as _CocoDataset

from ..registry import DATASETS
from ..utils.data_scan import DataError, check_images, check_instances
from ..utils.preflight import check_dataset_files

#: numpy's message for keypoints that do not reshape into (1, K, 3)
_RAGGED = 'cannot reshape'


class _CheckedFiles:
    """Mixin: check the files named in the keyword arguments before the dataset's own ``__init__``."""

    hint = 'Check the dataset paths in the config'
    #: the images are scanned while the dataset loads (``python -m rtmpose.utils.data_scan`` relies on it)
    scans_images = True

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
        except DataError:
            raise
        except ValueError as err:
            if _RAGGED in str(err):  # a dataset class that reshapes the keypoints itself (MPII...)
                raise DataError(f'{name}: annotation file {self.ann_file} has keypoints that are not [x, y, v] '
                                f'triplets of the dataset\'s keypoints ({err}). Fix or drop them.') from err
            if 'need at least one array' not in str(err):
                raise
            data_list = []
        instances = [item for item in data_list if 'keypoints' in item]
        check_instances(instances, self.metainfo['num_keypoints'], self.ann_file, name, self.test_mode)
        check_images((item['img_path'] for item in data_list if item.get('img_path')), name)
        return data_list

    def parse_data_info(self, raw_data_info: dict) -> dict | None:
        """MMPose's parser of one COCO-style annotation; :class:`DataError` naming the image and annotation when its
        keypoints are not a flat list of ``[x, y, v]`` triplets."""
        try:
            return super().parse_data_info(raw_data_info)
        except ValueError as err:
            if _RAGGED not in str(err) and 'inhomogeneous' not in str(err):
                raise
            ann, img = raw_data_info.get('raw_ann_info', {}), raw_data_info.get('raw_img_info', {})
            raise DataError(f'{type(self).__name__}: {self.ann_file}, image {img.get("file_name", img.get("id"))}, '
                            f'annotation {ann.get("id")}: "keypoints" has {len(ann.get("keypoints", []))} values, '
                            f'not [x, y, v] triplets of the dataset\'s {self.metainfo["num_keypoints"]} keypoints '
                            f'({err}). Fix or drop the annotation.') from err


@DATASETS.register_module(name='CocoDataset')
class CocoDataset(_CheckedFiles, _CocoDataset):
    hint = ('Download COCO 2017 into data/coco (annotations/person_keypoints_{train,val}2017.json, train2017/, '
            'val2017/, person_detection_results/), or train on the embedded demo set: '
            'mim train mmpose configs/rtmpose-t_demo.py')


@DATASETS.register_module(name='AicDataset')
class AicDataset(_CheckedFiles, _AicDataset):
    hint = 'Download AI Challenger keypoints into data/aic (annotations/aic_train.json and the train images)'

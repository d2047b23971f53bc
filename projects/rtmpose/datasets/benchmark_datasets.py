"""The datasets of the paper's other benchmarks (MMPose's classes), registered in the ``rtmpose`` scope under their own
names with the same input check as :mod:`.checked_datasets`: a missing dataset folder, annotation file, image folder
or detection-box file raises :class:`rtmpose.utils.MissingInputError` that names the path and the fix.
"""
import os.path as osp

import mmpose.datasets as mmpose_datasets

from ..registry import DATASETS
from ..utils.preflight import MissingInputError
from .checked_datasets import _CheckedFiles

_GUIDE = 'see the MMPose dataset preparation guide (dataset_zoo)'
_WHOLEBODY = ('Download COCO 2017 images and the COCO-WholeBody v1.0 annotations into data/coco '
              '(annotations/coco_wholebody_{train,val}_v1.0.json, train2017/, val2017/)')
_BODY8 = f"for Body8, in MMPose's layout under data/ (configs/body8/_base_/body8_datasets.py); {_GUIDE}"
_FACE6 = f"for Face6, in MMPose's layout under data/ (configs/face/_base_/face6_datasets.py); {_GUIDE}"
_HAND5 = f"for Hand5, in MMPose's layout under data/ (configs/hand/_base_/hand5_datasets.py); {_GUIDE}"

#: MMPose class name -> where its data goes (the hint of the missing-file error)
HINTS = {
    'CocoWholeBodyHandDataset': _WHOLEBODY,
    'CocoWholeBodyFaceDataset': _WHOLEBODY,
    'WFLWDataset': 'Download WFLW into data/wflw (annotations/face_landmarks_wflw_{train,test}.json, images/); '
                   + _GUIDE,
    'LapaDataset': f'Download LaPa into data/LaPa (annotations/lapa_{{train,val,test}}.json and the images); {_GUIDE}',
    'AP10KDataset': 'Download AP-10K into data/ap10k (annotations/ap10k-{train,val,test}-split1.json, data/); '
                    + _GUIDE,
    'JhmdbDataset': f'Download sub-JHMDB (data/jhmdb/annotations/Sub1_{{train,test}}.json, data/pose/JHMDB/) {_BODY8}',
    'HalpeDataset': f'Download Halpe-FullBody (data/halpe/annotations/halpe_{{train,val}}_v1.json, images) {_BODY8}',
    'PoseTrack18Dataset': f'Download PoseTrack18 (data/posetrack18/annotations, data/pose/PoseChallenge2018/) {_BODY8}',
    'OCHumanDataset': f'Download OCHuman (data/ochuman/annotations, data/pose/OCHuman/images/) {_BODY8}',
    'Face300WDataset': f'Download 300W (data/300w/annotations/face_landmarks_300w_{{train,test}}.json) {_FACE6}',
    'COFWDataset': f'Download COFW (data/cofw/annotations/cofw_{{train,test}}.json, images) {_FACE6}',
    'OneHand10KDataset': f'Download OneHand10K (data/onehand10k/annotations/onehand10k_{{train,test}}.json) {_HAND5}',
    'FreiHandDataset': f'Download FreiHAND (data/freihand/annotations/freihand_{{train,test}}.json, images) {_HAND5}',
    'Rhd2DDataset': f'Download RHD (data/rhd/annotations/rhd_{{train,test}}.json, images) {_HAND5}',
}


def _checked(name: str) -> type:
    """MMPose's dataset class ``name`` with the input check, registered in the ``rtmpose`` scope under ``name``."""
    base = getattr(mmpose_datasets, name)
    cls = type(name, (_CheckedFiles, base), dict(hint=HINTS[name], __module__=__name__,
                                                 __doc__=f"MMPose's ``{name}`` with the input check."))
    return DATASETS.register_module(name=name, module=cls)


CHECKED = {name: _checked(name) for name in HINTS}


@DATASETS.register_module(name='CocoWholeBodyDataset')
class CocoWholeBodyDataset(_CheckedFiles, mmpose_datasets.CocoWholeBodyDataset):
    """MMPose's ``CocoWholeBodyDataset`` without its empty ``keypoints_3d`` entry: MMPose 1.3.2 sets it to ``None``,
    and ``KeypointConverter`` (Body8's Halpe26 mapping) then reads it in place of ``keypoints`` and fails."""

    hint = _WHOLEBODY[:-1] + ', person_detection_results/)'

    def parse_data_info(self, raw_data_info: dict) -> dict | None:
        info = super().parse_data_info(raw_data_info)
        if info is not None and 'keypoints_3d' in info and info['keypoints_3d'] is None:
            del info['keypoints_3d']
        return info


@DATASETS.register_module(name='MpiiDataset')
class MpiiDataset(_CheckedFiles, mmpose_datasets.MpiiDataset):
    """MMPose's ``MpiiDataset`` with the input check, the head-box file (PCKh) included."""

    hint = f'Download MPII into data/mpii (annotations/mpii_{{train,val}}.json, mpii_gt_val.mat, images/); {_GUIDE}'

    def __init__(self, *args, **kwargs) -> None:
        headbox_file = kwargs.get('headbox_file')
        if headbox_file and not osp.isfile(headbox_file):
            raise MissingInputError(f'MpiiDataset: head-box file not found: {headbox_file!r}. {self.hint}; or point '
                                    'the config at your copy with --cfg-options <loader>.dataset.headbox_file=PATH')
        super().__init__(*args, **kwargs)

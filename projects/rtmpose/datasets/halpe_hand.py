"""``HalpeHandDataset``: the hands of Halpe-FullBody's 136-keypoint annotations as 21-point hand instances, the fifth
set of MMPose's Hand5 configs (which name this class, missing from MMPose 1.3.2)."""
import os.path as osp

import numpy as np
from mmengine.fileio import exists, get_local_path
from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from xtcocotools.coco import COCO

from ..registry import DATASETS
from .checked_datasets import _CheckedFiles

#: first keypoint of each hand in Halpe's 136 (26 body and feet, 68 face, then 21 left-hand and 21 right-hand points,
#: each hand in COCO-WholeBody-Hand's order: root, thumb 1-4, forefinger 1-4, ..., pinky 1-4)
HAND_STARTS = {'left': 94, 'right': 115}


def hand_instance(ann: dict, side: str) -> dict | None:
    """The ``side`` hand of a Halpe person annotation: ``keypoints`` (1, 21, 2), ``keypoints_visible`` (1, 21) and the
    tight ``bbox`` (1, 4) xyxy of its labelled points (Halpe has no hand boxes; the top-down crop pads it); ``None``
    when fewer than two labelled points span a box."""
    start = HAND_STARTS[side]
    kpts = np.asarray(ann['keypoints'], dtype=np.float32).reshape(-1, 3)[start:start + 21]
    labelled = kpts[kpts[:, 2] > 0, :2]
    if len(labelled) < 2:
        return None
    (x1, y1), (x2, y2) = labelled.min(0), labelled.max(0)
    if x2 <= x1 or y2 <= y1:
        return None
    return dict(bbox=np.array([[x1, y1, x2, y2]], dtype=np.float32), keypoints=kpts[None, :, :2],
                keypoints_visible=np.minimum(1, kpts[None, :, 2]), num_keypoints=len(labelled))


@DATASETS.register_module(name='HalpeHandDataset')
class HalpeHandDataset(_CheckedFiles, BaseCocoStyleDataset):
    """Halpe-FullBody's left and right hands as COCO-WholeBody-Hand instances (21 keypoints, same metainfo), top-down.

    Every non-crowd person annotation gives up to two instances, one per hand with at least two labelled points
    spanning a box; the box is the tight box of those points. Arguments as MMPose's ``CocoWholeBodyHandDataset``.
    """

    METAINFO: dict = dict(from_file='configs/_base_/datasets/coco_wholebody_hand.py')
    hint = ('Download Halpe-FullBody (data/halpe/annotations/halpe_{train,val}_v1.json and the HICO-DET / COCO images);'
            ' see the MMPose dataset preparation guide (dataset_zoo)')

    def _load_annotations(self) -> tuple[list[dict], list[dict]]:
        assert exists(self.ann_file), f'Annotation file `{self.ann_file}` does not exist'
        with get_local_path(self.ann_file) as local_path:
            self.coco = COCO(local_path)
        instances, images = [], []
        for img_id in self.coco.getImgIds():
            img = self.coco.loadImgs(img_id)[0]
            img.update(img_id=img_id, img_path=osp.join(self.data_prefix['img'], img['file_name']))
            images.append(img)
            for ann in self.coco.loadAnns(self.coco.getAnnIds(imgIds=img_id, iscrowd=False)):
                for side in HAND_STARTS:
                    hand = hand_instance(ann, side)
                    if hand is not None:
                        instances.append(dict(hand, img_id=img_id, img_path=img['img_path'], id=len(instances),
                                              bbox_score=np.ones(1, dtype=np.float32), iscrowd=ann.get('iscrowd', 0),
                                              segmentation=ann.get('segmentation', [])))
        return instances, images

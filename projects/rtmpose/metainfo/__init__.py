"""Keypoint sets: names, skeleton, OKS sigmas, flip pairs, joint weights and colours of a dataset's keypoints, and the
one resolver that finds them (numpy only: metainfo files are read as files, never executed).

A :class:`KeypointSet` is what the runtime (OKS NMS, drawing, JSON records), the pipeline metric and the training
checks know about the keypoints a model predicts: MMPose's dataset metainfo (``configs/_base_/datasets/*.py``) as
MMPose's ``parse_pose_metainfo`` reads it (:meth:`KeypointSet.dataset_meta` is that parse), checked when made.
:func:`load_keypoint_set` reads one from a name, a metainfo file, a model config or an MMDeploy SDK folder;
:func:`resolve_keypoint_set` also picks the default set of a model that carries none.

To add a keypoint set usable by name, put its metainfo file in ``configs/_base_/datasets/<name>.py``. The sets the
package itself names (its model zoo, :data:`ALIASES`, :data:`DEFAULT_SETS`, the MMPose files ``configs/_base_/datasets``
inherits) ship as copies of MMPose's files in ``metainfo/sets/``, so they resolve without MMPose installed.

>>> load_keypoint_set('coco_wholebody').num_keypoints
133
>>> load_keypoint_set('configs/rtmpose-m_coco.py').name
'coco'
"""
from .files import metainfo_dirs, mmpose_config_dir, read_metainfo_file
from .keypoint_set import COCO17, KeypointSet
from .parse import keypoint_set_from_dataset_meta, keypoint_set_from_info
from .resolve import (
    ALIASES,
    DEFAULT_SETS,
    keypoint_set_from_config,
    keypoint_set_from_sdk,
    load_keypoint_set,
    model_keypoint_set,
    resolve_keypoint_set,
)

__all__ = ['ALIASES', 'COCO17', 'DEFAULT_SETS', 'KeypointSet', 'keypoint_set_from_config',
           'keypoint_set_from_dataset_meta', 'keypoint_set_from_info', 'keypoint_set_from_sdk', 'load_keypoint_set',
           'metainfo_dirs', 'mmpose_config_dir', 'model_keypoint_set', 'read_metainfo_file', 'resolve_keypoint_set']

"""Real-time multi-person inference (RTMPose paper, section 3.5) on any runtime of :mod:`rtmpose.runtime`.

Only numpy and OpenCV are imported here; a runtime's engine (onnxruntime, openvino, ncnn, tensorrt, torch and
OpenMMLab) is imported when a model on it is built (the ONNX Runtime and OpenVINO paths never import torch or
OpenMMLab).

>>> from rtmpose.inference import PoseTracker, build_detector, build_pose_model
>>> tracker = PoseTracker(build_detector('rtmdet-nano-person/'), build_pose_model('rtmpose-m.onnx'), det_interval=5)
>>> people = tracker(frame)  # [PersonPose(track_id, keypoints (17, 2), scores (17,), bbox (4,), ...), ...]
>>> tracker = PoseTracker.from_names('rtmpose-m-wholebody')  # by name: downloaded, cached, default detector

Model names (``'rtmpose-m'``, ``'rtmpose-l-wholebody'``, ``'rtmdet-nano'``...) are listed by :func:`model_names`
and documented in :mod:`rtmpose.inference.model_zoo`.

:func:`build_pose_model` / :func:`build_detector` give a :class:`TopDownPoseModel` / :class:`Detector` on the
runtime the file is for (or the one asked for); both are the same class whatever the runtime.
"""
from .build import BACKENDS, build_detector, build_pose_model, guess_backend, normalize_backend
from .detector import BoxConfig, Detector, LetterboxConfig
from .download import DownloadError, cache_dir
from .frames import ensure_bgr
from .model_zoo import MODELS, model_names
from .one_euro import OneEuroFilter
from .pose_model import CropConfig, DecodeConfig, PoseBatch, TopDownPoseModel
from .pose_nms import oks_iou, oks_nms
from .preprocess import (
                         bbox_xyxy2cs,
                         bboxes_to_center_scale,
                         crop_batch,
                         fix_aspect_ratio,
                         get_warp_matrix,
                         keypoints_to_image,
                         normalize_batch,
)
from .tracker import PersonPose, PoseTracker, stack_people

__all__ = [
    'BACKENDS', 'MODELS', 'BoxConfig', 'CropConfig', 'DecodeConfig', 'Detector', 'DownloadError', 'LetterboxConfig',
    'OneEuroFilter', 'cache_dir', 'model_names',
    'PersonPose', 'PoseBatch', 'PoseTracker', 'TopDownPoseModel', 'bbox_xyxy2cs', 'bboxes_to_center_scale',
    'build_detector', 'build_pose_model', 'crop_batch', 'ensure_bgr', 'fix_aspect_ratio', 'get_warp_matrix',
    'guess_backend', 'keypoints_to_image', 'normalize_backend', 'normalize_batch', 'oks_iou', 'oks_nms',
    'stack_people'
]

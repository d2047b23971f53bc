"""Real-time multi-person inference (RTMPose paper, section 3.5) on ONNX Runtime, OpenVINO, ncnn or PyTorch.

Only numpy and OpenCV are imported here; onnxruntime, openvino, ncnn, torch and OpenMMLab are imported when a model of
that backend is created (the ONNX Runtime and OpenVINO paths never import torch or OpenMMLab).

>>> from rtmpose.inference import PoseTracker, build_detector, build_pose_model
>>> tracker = PoseTracker(build_detector('rtmdet-nano-person/'), build_pose_model('rtmpose-m.onnx'), det_interval=5)
>>> people = tracker(frame)  # [PersonPose(track_id, keypoints (17, 2), scores (17,), bbox (4,), ...), ...]

Backends: :class:`RTMDetONNX` / :class:`RTMPoseONNX` (ONNX Runtime), :class:`~.openvino_backend.RTMDetOpenVINO` /
:class:`~.openvino_backend.RTMPoseOpenVINO` (OpenVINO, same ONNX files), :class:`~.ncnn_backend.RTMDetNCNN` /
:class:`~.ncnn_backend.RTMPoseNCNN` (ncnn), :class:`~.torch_backend.RTMDetTorch` /
:class:`~.torch_backend.RTMPoseTorch` (PyTorch + OpenMMLab); :func:`build_detector` / :func:`build_pose_model`
pick one by name or by file type.
"""
from .backends import BACKENDS, build_detector, build_pose_model, guess_backend
from .detector import RTMDetBase, RTMDetONNX
from .frames import ensure_bgr
from .one_euro import OneEuroFilter
from .pose_base import PoseBatch, TopDownPoseModel
from .pose_nms import COCO17_SIGMAS, oks_iou, oks_nms
from .pose_onnx import RTMPoseONNX
from .preprocess import (bbox_xyxy2cs, bboxes_to_center_scale, crop_batch, fix_aspect_ratio, get_warp_matrix,
                         keypoints_to_image, normalize_batch)
from .simcc_decode import simcc_decode
from .tracker import PersonPose, PoseTracker, stack_people

__all__ = [
    'BACKENDS', 'COCO17_SIGMAS', 'OneEuroFilter', 'PersonPose', 'PoseBatch', 'PoseTracker', 'RTMDetBase',
    'RTMDetONNX', 'RTMPoseONNX', 'TopDownPoseModel', 'bbox_xyxy2cs', 'bboxes_to_center_scale', 'build_detector',
    'build_pose_model', 'crop_batch', 'ensure_bgr', 'fix_aspect_ratio', 'get_warp_matrix', 'guess_backend',
    'keypoints_to_image', 'normalize_batch', 'oks_iou', 'oks_nms', 'simcc_decode', 'stack_people'
]

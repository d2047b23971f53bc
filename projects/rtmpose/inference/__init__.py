"""Real-time multi-person inference (RTMPose paper, section 3.5) on ONNX Runtime.

Only numpy, OpenCV and onnxruntime are used here (onnxruntime is imported when a model is loaded); nothing in
this sub-package imports torch or OpenMMLab.

>>> from rtmpose.inference import PoseTracker, RTMDetONNX, RTMPoseONNX
>>> tracker = PoseTracker(RTMDetONNX('rtmdet-nano-person/'), RTMPoseONNX('rtmpose-m/'), det_interval=5)
>>> people = tracker(frame)  # [PersonPose(track_id, keypoints (17, 2), scores (17,), bbox (4,), ...), ...]
"""
from .detector import RTMDetONNX
from .frames import ensure_bgr
from .one_euro import OneEuroFilter
from .pose_nms import COCO17_SIGMAS, oks_iou, oks_nms
from .pose_onnx import PoseBatch, RTMPoseONNX
from .preprocess import (bbox_xyxy2cs, bboxes_to_center_scale, crop_batch, fix_aspect_ratio, get_warp_matrix,
                         keypoints_to_image, normalize_batch)
from .simcc_decode import simcc_decode
from .tracker import PersonPose, PoseTracker, stack_people

__all__ = [
    'COCO17_SIGMAS', 'OneEuroFilter', 'PersonPose', 'PoseBatch', 'PoseTracker', 'RTMDetONNX', 'RTMPoseONNX',
    'bbox_xyxy2cs', 'bboxes_to_center_scale', 'crop_batch', 'ensure_bgr', 'fix_aspect_ratio', 'get_warp_matrix',
    'keypoints_to_image', 'normalize_batch', 'oks_iou', 'oks_nms', 'simcc_decode', 'stack_people'
]

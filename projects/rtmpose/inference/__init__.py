"""The real-time multi-person pipeline of the RTMPose paper (section 3.5) on any backend of :mod:`rtmpose.backends`:
the person detector, the top-down pose model (affine crops, SimCC decode), OKS pose NMS, One-Euro smoothing and the
tracker that detects every ``det_interval`` frames and takes boxes from the previous poses in between.

Only numpy and OpenCV are imported here; a backend's engine is imported when a model on it is opened. Models are
built from files or names by :mod:`rtmpose.hub`:

>>> from rtmpose.hub import build_detector, build_pose_model
>>> from rtmpose.inference import PoseTracker, TrackerConfig
>>> tracker = PoseTracker(build_detector('rtmdet-nano-person/'), build_pose_model('rtmpose-m.onnx'),
...                       TrackerConfig(det_interval=5))
>>> people = tracker(frame)  # [PersonPose(track_id, keypoints (17, 2), scores (17,), bbox (4,), ...), ...]
"""
from .detector import BoxConfig, Detector, LetterboxConfig
from .one_euro import OneEuroFilter
from .pose_model import CropConfig, DecodeConfig, PoseBatch, TopDownPoseModel
from .pose_nms import oks_iou, oks_nms
from .tracker import PersonPose, PoseTracker, TrackerConfig, stack_people

__all__ = ['BoxConfig', 'CropConfig', 'DecodeConfig', 'Detector', 'LetterboxConfig', 'OneEuroFilter', 'PersonPose',
           'PoseBatch', 'PoseTracker', 'TopDownPoseModel', 'TrackerConfig', 'oks_iou', 'oks_nms', 'stack_people']

"""Training on keypoints of one's own: a COCO keypoint file (as annotation tools export it) made into an RTMPose
config, its MMPose metainfo file and the annotation files they read (``tools/make_config.py``)."""
from .coco_keypoints import KeypointFile, read_keypoint_file
from .flip_pairs import infer_flip_pairs, parse_flip_pairs
from .keypoint_metainfo import DEFAULT_SIGMA
from .make import MakeConfigArgs, make_config

__all__ = ['DEFAULT_SIGMA', 'KeypointFile', 'MakeConfigArgs', 'infer_flip_pairs', 'make_config',
           'parse_flip_pairs', 'read_keypoint_file']

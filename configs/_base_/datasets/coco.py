# COCO-17 keypoint metainfo (names, skeleton, sigmas, flip pairs, colours) for `metainfo=dict(from_file=...)`: MMPose's
# own file through mmengine's scoped inheritance, so the path exists in this repository and the values are MMPose's.
_base_ = ['mmpose::_base_/datasets/coco.py']

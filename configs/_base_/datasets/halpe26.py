# Halpe26 keypoint metainfo (COCO-17, head top, neck, hip centre and the 6 foot points) for
# `metainfo=dict(from_file=...)`: MMPose's own file through mmengine's scoped inheritance.
_base_ = ['mmpose::_base_/datasets/halpe26.py']

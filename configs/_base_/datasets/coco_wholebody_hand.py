# COCO-WholeBody-Hand keypoint metainfo (21 points) for `metainfo=dict(from_file=...)`: MMPose's own file through
# mmengine's scoped inheritance.
_base_ = ['mmpose::_base_/datasets/coco_wholebody_hand.py']

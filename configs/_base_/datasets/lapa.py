# LaPa's 106 face landmarks (the label space of Face6) for `metainfo=dict(from_file=...)`: MMPose's own file through
# mmengine's scoped inheritance.
_base_ = ['mmpose::_base_/datasets/lapa.py']

# COCO-17 plus AI Challenger's head top and neck (19 keypoints): the label space of the AIC+COCO UDP pretraining, for
# `metainfo=dict(from_file=...)`; MMPose's own file through mmengine's scoped inheritance.
_base_ = ['mmpose::_base_/datasets/coco_aic.py']

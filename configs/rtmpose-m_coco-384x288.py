# RTMPose-m, COCO, 384x288: CSPNeXt-m.
_base_ = ['./_base_/rtmpose_coco-384x288.py']

model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=model_size.head)

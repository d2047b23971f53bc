# RTMPose-m, Face6, 256x256: from the ImageNet-1k CSPNeXt-m.
_base_ = ['./_base_/rtmpose_face6.py']

model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.in1k)),
    head=model_size.head)

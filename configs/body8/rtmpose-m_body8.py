# RTMPose-m, Body8, COCO-17, 256x192: from CSPNeXt-m UDP-pretrained on Body7.
_base_ = ['./_base_/rtmpose_body8-coco.py']

model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_body7)),
    head=model_size.head)

# UDP pretraining of CSPNeXt-l on COCO, 256x192.
_base_ = ['./_base_/cspnext_udp_coco.py']

model_size = _base_.model_sizes.l
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.in1k)),
    head=model_size.head)

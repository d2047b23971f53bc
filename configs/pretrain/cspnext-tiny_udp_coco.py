# UDP pretraining of CSPNeXt-tiny on COCO, 256x192. No EMA for the tiny model.
_base_ = ['./_base_/cspnext_udp_coco.py']

model_size = _base_.model_sizes.t
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.in1k)),
    head=model_size.head)
custom_hooks = [hook for hook in _base_.custom_hooks if hook['type'] != 'EMAHook']

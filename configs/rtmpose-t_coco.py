# RTMPose-t, COCO, 256x192: CSPNeXt-tiny; no weight decay and no EMA for the tiny model.
_base_ = ['./_base_/rtmpose_coco.py']

model_size = _base_.model_sizes.t
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=model_size.head)
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
custom_hooks = [hook for hook in _base_.custom_hooks if hook['type'] != 'EMAHook']

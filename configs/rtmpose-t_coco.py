# RTMPose-t, COCO, 256x192: CSPNeXt-tiny; no weight decay and no EMA for the tiny model.
_base_ = ['./_base_/rtmpose_coco.py']

model = dict(
    backbone=dict(
        deepen_factor=0.167,
        widen_factor=0.375,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-tiny_udp-aic-coco_210e-256x192-cbed682d_20230130.pth')),
    head=dict(in_channels=384))
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
custom_hooks = [hook for hook in _base_.custom_hooks if hook['type'] != 'EMAHook']

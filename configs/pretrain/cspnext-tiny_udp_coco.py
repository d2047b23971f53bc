# UDP pretraining of CSPNeXt-tiny on COCO, 256x192. No EMA for the tiny model.
_base_ = ['./_base_/cspnext_udp_coco.py']

model = dict(
    backbone=dict(
        deepen_factor=0.167,
        widen_factor=0.375,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-tiny_imagenet_600e-3a2dd350.pth')),
    head=dict(in_channels=384))
custom_hooks = [hook for hook in _base_.custom_hooks if hook['type'] != 'EMAHook']

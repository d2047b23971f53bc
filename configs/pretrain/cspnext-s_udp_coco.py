# UDP pretraining of CSPNeXt-s on COCO, 256x192.
_base_ = ['./_base_/cspnext_udp_coco.py']

model = dict(
    backbone=dict(
        deepen_factor=0.33,
        widen_factor=0.5,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-s_imagenet_600e-ea671761.pth')),
    head=dict(in_channels=512))

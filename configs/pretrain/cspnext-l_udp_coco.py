# UDP pretraining of CSPNeXt-l on COCO, 256x192.
_base_ = ['./_base_/cspnext_udp_coco.py']

model = dict(
    backbone=dict(
        deepen_factor=1.,
        widen_factor=1.,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-l_8xb256-rsb-a1-600e_in1k-6a760974.pth')),
    head=dict(in_channels=1024))

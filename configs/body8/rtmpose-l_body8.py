# RTMPose-l, Body8, COCO-17, 256x192: from CSPNeXt-l UDP-pretrained on Body7.
_base_ = ['./_base_/rtmpose_body8-coco.py']

model = dict(
    backbone=dict(
        deepen_factor=1.,
        widen_factor=1.,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-l_udp-body7_210e-256x192-5e9558ef_20230504.pth')),
    head=dict(in_channels=1024))

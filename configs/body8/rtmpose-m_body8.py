# RTMPose-m, Body8, COCO-17, 256x192: from CSPNeXt-m UDP-pretrained on Body7.
_base_ = ['./_base_/rtmpose_body8-coco.py']

model = dict(
    backbone=dict(
        deepen_factor=0.67,
        widen_factor=0.75,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-m_udp-body7_210e-256x192-e0c9327b_20230504.pth')),
    head=dict(in_channels=768))

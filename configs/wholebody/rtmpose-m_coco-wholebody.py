# RTMPose-m, COCO-WholeBody, 256x192: CSPNeXt-m.
_base_ = ['./_base_/rtmpose_coco-wholebody.py']

model = dict(
    backbone=dict(
        deepen_factor=0.67,
        widen_factor=0.75,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-m_udp-aic-coco_210e-256x192-f2f7d6f6_20230130.pth')),
    head=dict(in_channels=768))

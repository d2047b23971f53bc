# RTMPose-l, COCO-WholeBody, 256x192: CSPNeXt-l.
_base_ = ['./_base_/rtmpose_coco-wholebody.py']

model = dict(
    backbone=dict(
        deepen_factor=1.,
        widen_factor=1.,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-l_udp-aic-coco_210e-256x192-273b7631_20230130.pth')),
    head=dict(in_channels=1024))

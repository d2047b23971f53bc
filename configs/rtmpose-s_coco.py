# RTMPose-s, COCO, 256x192: CSPNeXt-s; no weight decay.
_base_ = ['./_base_/rtmpose_coco.py']

model = dict(
    backbone=dict(
        deepen_factor=0.33,
        widen_factor=0.5,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-s_udp-aic-coco_210e-256x192-92f5a029_20230130.pth')),
    head=dict(in_channels=512))
optim_wrapper = dict(optimizer=dict(weight_decay=0.))

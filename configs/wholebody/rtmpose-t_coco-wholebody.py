# RTMPose-t, COCO-WholeBody, 256x192: CSPNeXt-tiny; gradients clipped at norm 35 as in the official t/s whole-body
# configs (MMPose's projects/rtmpose), which keep weight decay and EMA for the small models.
_base_ = ['./_base_/rtmpose_coco-wholebody.py']

model = dict(
    backbone=dict(
        deepen_factor=0.167,
        widen_factor=0.375,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-tiny_udp-aic-coco_210e-256x192-cbed682d_20230130.pth')),
    head=dict(in_channels=384))
optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

# RTMPose-s, COCO-WholeBody, 256x192: CSPNeXt-s; gradients clipped at norm 35 as in the official t/s whole-body
# configs (MMPose's projects/rtmpose).
_base_ = ['./_base_/rtmpose_coco-wholebody.py']

model = dict(
    backbone=dict(
        deepen_factor=0.33,
        widen_factor=0.5,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-s_udp-aic-coco_210e-256x192-92f5a029_20230130.pth')),
    head=dict(in_channels=512))
optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

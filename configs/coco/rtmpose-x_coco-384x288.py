# RTMPose-x, COCO, 384x288: CSPNeXt-x pretrained on Body7 (MMPose's projects/rtmpose), 700 epochs (the strong
# augmentation switched off for the last 20), gradients clipped at norm 35; a wider box scale (0.5-1.5) and rotation
# (90 degrees) in both stages, and photometric distortion in place of the HSV jitter in the first.
_base_ = ['../_base_/rtmpose_coco-384x288.py']

max_epochs = 700
stage2_num_epochs = 20
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]
optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

model = dict(
    backbone=dict(
        deepen_factor=1.33,
        widen_factor=1.25,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-x_udp-body7_210e-384x288-d28b58e6_20230529.pth')),
    head=dict(in_channels=1280))

wider = dict(RandomBBoxTransform=dict(scale_factor=[0.5, 1.5], rotate_factor=90))
stage1 = dict(wider, **{'mmdet.YOLOXHSVRandomAug': dict(type='PhotometricDistortion')})
train_pipeline = [dict(t, **stage1.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **wider.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_epoch' in hook else hook for hook in _base_.custom_hooks
]

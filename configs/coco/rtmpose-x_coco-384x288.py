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

model_size = _base_.model_sizes.x
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_body7_384x288)),
    head=model_size.head)

wider = dict(RandomBBoxTransform=dict(scale_factor=[0.5, 1.5], rotate_factor=90))
stage1 = dict(wider, **{'mmdet.YOLOXHSVRandomAug': dict(type='PhotometricDistortion')})
train_pipeline = [dict(t, **stage1.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **wider.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_epoch' in hook else hook for hook in _base_.custom_hooks
]

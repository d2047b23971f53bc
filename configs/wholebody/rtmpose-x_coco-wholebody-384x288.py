# RTMPose-x, COCO-WholeBody, 384x288: CSPNeXt-x pretrained on Body7 (MMPose's projects/rtmpose), 8 GPUs x 32 images,
# gradients clipped at norm 35 and a wider box scale (0.5-1.5) and rotation (90 degrees) in both training stages.
_base_ = ['./_base_/rtmpose_coco-wholebody.py']

input_size = (288, 384)
codec = dict(_base_.codec, input_size=input_size, sigma=(6., 6.93))
model = dict(
    backbone=dict(
        deepen_factor=1.33,
        widen_factor=1.25,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-x_udp-body7_210e-384x288-d28b58e6_20230529.pth')),
    head=dict(in_channels=1280, input_size=input_size, in_featuremap_size=(9, 12), decoder=codec))
optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

changes = dict(TopdownAffine=dict(input_size=input_size), GenerateTarget=dict(encoder=codec),
               RandomBBoxTransform=dict(scale_factor=[0.5, 1.5], rotate_factor=90))
train_pipeline = [dict(t, **changes.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **changes.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
val_pipeline = [dict(t, **changes.get(t['type'], {})) for t in _base_.val_pipeline]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
custom_hooks = [dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h
                for h in _base_.custom_hooks]

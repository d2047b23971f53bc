# RTMPose-x, COCO-WholeBody, 384x288: CSPNeXt-x pretrained on Body7 (MMPose's projects/rtmpose), 8 GPUs x 32 images,
# gradients clipped at norm 35 and a wider box scale (0.5-1.5) and rotation (90 degrees) in both training stages.
_base_ = ['./_base_/rtmpose_coco-wholebody.py']

input_size = (288, 384)
codec = dict(_base_.codec, input_size=input_size, sigma=(6., 6.93))
model_size = _base_.model_sizes.x
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_body7_384x288)),
    head=dict(model_size.head, input_size=input_size, in_featuremap_size=(9, 12), decoder=codec))
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

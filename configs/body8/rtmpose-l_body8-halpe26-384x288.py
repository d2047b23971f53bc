# RTMPose-l, Body8, Halpe26, 384x288: 8 GPUs x 512 images, from the Body7-trained RTMPose-l at 384x288 (label sigma
# scaled with the input, 9x12 feature map).
_base_ = ['./_base_/rtmpose_body8-halpe26.py']

input_size = (288, 384)
codec = dict(_base_.codec, input_size=input_size, sigma=(6., 6.93))
model_size = _base_.model_sizes.l
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.simcc_body7_384x288)),
    head=dict(model_size.head, input_size=input_size, in_featuremap_size=(9, 12), decoder=codec))
sized = dict(TopdownAffine=dict(input_size=input_size), GenerateTarget=dict(encoder=codec))
train_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
val_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.val_pipeline]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
custom_hooks = [dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h
                for h in _base_.custom_hooks]

# RTMPose-m, Body8, Halpe26, 256x192: 8 GPUs x 512 images, from the Body7-trained RTMPose-m; as MMPose's config, the
# targets of this one model leave out the sets' keypoint weights.
_base_ = ['./_base_/rtmpose_body8-halpe26.py']

model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.simcc_body7)),
    head=model_size.head)
plain = dict(GenerateTarget=dict(type='GenerateTarget', encoder=_base_.codec))
train_pipeline = [plain.get(t['type'], t) for t in _base_.train_pipeline]
train_pipeline_stage2 = [plain.get(t['type'], t) for t in _base_.train_pipeline_stage2]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
custom_hooks = [dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h
                for h in _base_.custom_hooks]

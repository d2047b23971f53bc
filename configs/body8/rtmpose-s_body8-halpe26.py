# RTMPose-s, Body8, Halpe26, 256x192: 8 GPUs x 1024 images, from the Body7-trained RTMPose-s; no weight decay and the
# narrower box scale (0.6-1.4) and rotation (80 degrees) in both stages.
_base_ = ['./_base_/rtmpose_body8-halpe26.py']

model_size = _base_.model_sizes.s
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.simcc_body7)),
    head=model_size.head)
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
narrower = dict(RandomBBoxTransform=dict(scale_factor=[0.6, 1.4], rotate_factor=80))
train_pipeline = [dict(t, **narrower.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **narrower.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
train_dataloader = dict(batch_size=1024, dataset=dict(pipeline=train_pipeline))
custom_hooks = [dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h
                for h in _base_.custom_hooks]

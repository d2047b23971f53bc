# RTMPose-s, Body8, COCO-17, 256x192: from CSPNeXt-s UDP-pretrained on Body7; no weight decay and COCO's box scale and
# rotation (0.6-1.4 and 80 degrees, then 0.75-1.25 and 60).
_base_ = ['./_base_/rtmpose_body8-coco.py']

model_size = _base_.model_sizes.s
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_body7)),
    head=model_size.head)
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
stage1 = dict(RandomBBoxTransform=dict(scale_factor=[0.6, 1.4], rotate_factor=80))
stage2 = dict(RandomBBoxTransform=dict(scale_factor=[0.75, 1.25], rotate_factor=60))
train_pipeline = [dict(t, **stage1.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **stage2.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
custom_hooks = [dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h
                for h in _base_.custom_hooks]

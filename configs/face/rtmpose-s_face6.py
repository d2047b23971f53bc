# RTMPose-s, Face6, 256x256: from the ImageNet-1k CSPNeXt-s; no weight decay and COCO's box scale and rotation
# (0.75-1.25, 60 degrees) in the second stage.
_base_ = ['./_base_/rtmpose_face6.py']

model_size = _base_.model_sizes.s
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.in1k)),
    head=model_size.head)
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
train_dataloader = dict(pin_memory=True)
val_dataloader = dict(pin_memory=True)
narrower = dict(RandomBBoxTransform=dict(scale_factor=[0.75, 1.25], rotate_factor=60))
train_pipeline_stage2 = [dict(t, **narrower.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
custom_hooks = [dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h
                for h in _base_.custom_hooks]

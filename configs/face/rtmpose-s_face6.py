# RTMPose-s, Face6, 256x256: from the ImageNet-1k CSPNeXt-s; no weight decay and COCO's box scale and rotation
# (0.75-1.25, 60 degrees) in the second stage.
_base_ = ['./_base_/rtmpose_face6.py']

model = dict(
    backbone=dict(
        deepen_factor=0.33,
        widen_factor=0.5,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-s_imagenet_600e-ea671761.pth')),
    head=dict(in_channels=512))
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
train_dataloader = dict(pin_memory=True)
val_dataloader = dict(pin_memory=True)
narrower = dict(RandomBBoxTransform=dict(scale_factor=[0.75, 1.25], rotate_factor=60))
train_pipeline_stage2 = [dict(t, **narrower.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
custom_hooks = [dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h
                for h in _base_.custom_hooks]

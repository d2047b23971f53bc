# RTMPose-l, Body8, Halpe26, 256x192: 8 GPUs x 512 images, from the Body7-trained RTMPose-l, 5 data workers.
_base_ = ['./_base_/rtmpose_body8-halpe26.py']

model_size = _base_.model_sizes.l
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.simcc_body7)),
    head=model_size.head)
train_dataloader = dict(num_workers=5)
val_dataloader = dict(num_workers=5)
test_dataloader = val_dataloader

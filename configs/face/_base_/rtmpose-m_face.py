# RTMPose-m on face landmarks, 256x256: the COCO recipe for 60 epochs (the strong augmentation switched off for the
# last 10) at a square input (label sigma 5.66, 8x8 feature map), from the AIC+COCO-pretrained CSPNeXt-m, without
# half-body crops; validated every epoch with the NME normalised by the outer eye corners (keypoint_distance), on the
# ground-truth face boxes. The rtmpose-m_{wflw,lapa,coco-wholebody-face}.py configs name the data and keypoint count.
_base_ = ['../../_base_/rtmpose_coco.py']

max_epochs = 60
stage2_num_epochs = 10
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]
# 8 GPUs x 64 images
auto_scale_lr = dict(base_batch_size=512)

input_size = (256, 256)
codec = dict(_base_.codec, input_size=input_size, sigma=(5.66, 5.66))
model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=dict(model_size.head, input_size=input_size, in_featuremap_size=(8, 8), decoder=codec))

sized = dict(TopdownAffine=dict(input_size=input_size), GenerateTarget=dict(encoder=codec))
train_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline if t['type'] != 'RandomHalfBody']
train_pipeline_stage2 = [
    dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline_stage2 if t['type'] != 'RandomHalfBody'
]
val_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.val_pipeline]

train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, dataset=dict(_delete_=True, data_mode='topdown', test_mode=True, pipeline=val_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(_delete_=True, type='NME', norm_mode='keypoint_distance')
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(save_best='NME', rule='less', interval=1))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_epoch' in hook else dict(hook, metric='NME') if hook['type'] == 'TrainingCurveHook' else hook
    for hook in _base_.custom_hooks
]

# RTMPose-m, MPII (16 keypoints), 256x256: the COCO recipe for 210 epochs on batches of 64 at a square input (label
# sigma 5.66, 8x8 feature map), from the AIC+COCO-pretrained CSPNeXt-m; PCKh@0.5 on ground-truth boxes with the
# head boxes of mpii_gt_val.mat, as in the paper (Table 9).
_base_ = ['../_base_/rtmpose_coco.py']

max_epochs = 210
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]

input_size = (256, 256)
codec = dict(_base_.codec, input_size=input_size, sigma=(5.66, 5.66))
model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=dict(model_size.head, out_channels=16, input_size=input_size, in_featuremap_size=(8, 8), decoder=codec))

sized = dict(TopdownAffine=dict(input_size=input_size), GenerateTarget=dict(encoder=codec))
train_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
val_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.val_pipeline]

dataset_type = 'MpiiDataset'
data_root = 'data/mpii/'
train_dataloader = dict(
    batch_size=64,
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/mpii_train.json',
                 data_prefix=dict(img='images/'), pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        _delete_=True, type=dataset_type, data_root=data_root, data_mode='topdown',
        ann_file='annotations/mpii_val.json', headbox_file=f'{data_root}/annotations/mpii_gt_val.mat',
        data_prefix=dict(img='images/'), test_mode=True, pipeline=val_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(_delete_=True, type='MpiiPCKAccuracy')
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(save_best='PCK'))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - 30, switch_pipeline=train_pipeline_stage2) if 'switch_epoch' in hook else
    dict(hook, metric='PCK') if hook['type'] == 'TrainingCurveHook' else hook
    for hook in _base_.custom_hooks
]

# RTMPose-m, COCO-WholeBody-Hand (21 keypoints), 256x256: the COCO recipe for 210 epochs on batches of 32 at a square
# input (label sigma 5.66, 8x8 feature map), from the AIC+COCO-pretrained CSPNeXt-m. Hands need no half-body crops and
# turn freely: boxes rotate up to 180 degrees before the flip. PCK@0.2, AUC and EPE on the ground-truth hand boxes.
_base_ = ['../_base_/rtmpose_coco.py']

max_epochs = 210
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]
# 8 GPUs x 32 images
auto_scale_lr = dict(base_batch_size=256)

input_size = (256, 256)
codec = dict(_base_.codec, input_size=input_size, sigma=(5.66, 5.66))
model = dict(
    backbone=dict(
        deepen_factor=0.67,
        widen_factor=0.75,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-m_udp-aic-coco_210e-256x192-f2f7d6f6_20230130.pth')),
    head=dict(in_channels=768, out_channels=21, input_size=input_size, in_featuremap_size=(8, 8), decoder=codec))

# the COCO steps (load, box centre, HSV, Albumentation) around the hand-specific box transform and flip
train_pipeline = [
    *_base_.train_pipeline[:2],
    dict(type='RandomBBoxTransform', scale_factor=[0.5, 1.5], rotate_factor=180),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='TopdownAffine', input_size=input_size),
    *_base_.train_pipeline[6:8],
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
train_pipeline_stage2 = [
    *_base_.train_pipeline_stage2[:2],
    dict(type='RandomBBoxTransform', shift_factor=0., scale_factor=[0.75, 1.25], rotate_factor=180),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='TopdownAffine', input_size=input_size),
    *_base_.train_pipeline_stage2[6:8],
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [dict(t, input_size=input_size) if t['type'] == 'TopdownAffine' else t for t in _base_.val_pipeline]

dataset_type = 'CocoWholeBodyHandDataset'
train_dataloader = dict(
    batch_size=32,
    dataset=dict(type=dataset_type, ann_file='annotations/coco_wholebody_train_v1.0.json', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        _delete_=True, type=dataset_type, data_root='data/coco/', data_mode='topdown',
        ann_file='annotations/coco_wholebody_val_v1.0.json', data_prefix=dict(img='val2017/'), test_mode=True,
        pipeline=val_pipeline))
test_dataloader = val_dataloader

val_evaluator = [dict(type='PCKAccuracy', thr=0.2), dict(type='AUC'), dict(type='EPE')]
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(save_best='AUC'))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - 30, switch_pipeline=train_pipeline_stage2) if 'switch_epoch' in hook else
    dict(hook, metric='AUC') if hook['type'] == 'TrainingCurveHook' else hook
    for hook in _base_.custom_hooks
]

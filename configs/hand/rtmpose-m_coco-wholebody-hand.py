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
model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=dict(model_size.head, out_channels=21, input_size=input_size, in_featuremap_size=(8, 8), decoder=codec))


def for_hands(pipeline: list[dict], box: dict) -> list[dict]:
    """The COCO ``pipeline`` for hands: no half-body step, the box transform changed by ``box`` and moved before
    the flip, crops and targets at the hand input size."""
    changes = dict(RandomBBoxTransform=box, TopdownAffine=dict(input_size=input_size),
                   GenerateTarget=dict(encoder=codec))
    flip = [t for t in pipeline if t['type'] == 'RandomFlip']
    return [step for t in pipeline if t['type'] not in ('RandomHalfBody', 'RandomFlip')
            for step in [dict(t, **changes.get(t['type'], {})), *(flip if t['type'] == 'RandomBBoxTransform' else [])]]


train_pipeline = for_hands(_base_.train_pipeline, dict(scale_factor=[0.5, 1.5], rotate_factor=180))
train_pipeline_stage2 = for_hands(_base_.train_pipeline_stage2, dict(rotate_factor=180))
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

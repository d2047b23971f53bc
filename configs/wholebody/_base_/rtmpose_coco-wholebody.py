# RTMPose on COCO-WholeBody (133 keypoints: body 17, feet 6, face 68, hands 2x21) at 256x192: the COCO recipe with 270
# epochs (the strong augmentation switched off for the last 30), batches of 64 and the whole-body metric, evaluated on
# the same detector boxes (56.4 human AP) as COCO. Size-neutral: the rtmpose-{t,s,m,l,x}_coco-wholebody*.py configs
# state their backbone, checkpoint and input size.
_base_ = ['../../_base_/rtmpose_coco.py']

max_epochs = 270
stage2_num_epochs = 30
base_lr = 4e-3
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]
# 8 GPUs x 64 images
auto_scale_lr = dict(base_batch_size=512)

model = dict(head=dict(out_channels=133))

dataset_type = 'CocoWholeBodyDataset'
data_root = 'data/coco/'
train_dataloader = dict(
    batch_size=64,
    dataset=dict(type=dataset_type, ann_file='annotations/coco_wholebody_train_v1.0.json'))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(type=dataset_type, ann_file='annotations/coco_wholebody_val_v1.0.json'))
test_dataloader = val_dataloader

val_evaluator = dict(
    type='CocoWholeBodyMetric', ann_file=data_root + 'annotations/coco_wholebody_val_v1.0.json')
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(save_best='coco-wholebody/AP'))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - stage2_num_epochs) if 'switch_epoch' in hook else
    dict(hook, metric='coco-wholebody/AP') if hook['type'] == 'TrainingCurveHook' else hook
    for hook in _base_.custom_hooks
]

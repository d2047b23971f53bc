# RTMPose on Body8 with Halpe's 26 keypoints (MMPose's Body8 recipe), 256x192: trained 700 epochs (the strong
# augmentation switched off for the last 30) on 7 combined sets, gradients clipped at norm 35, a wide box scale
# (0.5-1.5) and rotation (90 degrees) in both stages, photometric distortion in the first and no HSV jitter, each set's
# keypoint weights in the targets; PCK@0.1 and AUC on the 8 validation sets with their ground-truth boxes. The
# rtmpose-*_body8-halpe26*.py configs state the size, checkpoint and batch.
_base_ = ['../../_base_/rtmpose_coco.py', './body8_datasets.py']

max_epochs = 700
stage2_num_epochs = 30
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]
optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

model = dict(head=dict(out_channels=26))

wider = dict(RandomBBoxTransform=dict(scale_factor=[0.5, 1.5], rotate_factor=90),
             GenerateTarget=dict(use_dataset_keypoint_weights=True))
stage1 = dict(wider, **{'mmdet.YOLOXHSVRandomAug': dict(type='PhotometricDistortion')})
train_pipeline = [dict(t, **stage1.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [
    dict(t, **wider.get(t['type'], {})) for t in _base_.train_pipeline_stage2 if t['type'] != 'mmdet.YOLOXHSVRandomAug'
]

halpe26 = dict(from_file='configs/_base_/datasets/halpe26.py')
train_dataloader = dict(
    batch_size=512,
    pin_memory=True,
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=halpe26, datasets=_base_.body8_halpe26_train_datasets,
                 pipeline=train_pipeline, test_mode=False))
val_dataloader = dict(
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=halpe26, datasets=_base_.body8_halpe26_val_datasets,
                 pipeline=_base_.val_pipeline, test_mode=True))
test_dataloader = val_dataloader

val_evaluator = [dict(type='PCKAccuracy', thr=0.1), dict(type='AUC')]
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(save_best='AUC'))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_epoch' in hook else dict(hook, metric='AUC') if hook['type'] == 'TrainingCurveHook' else hook
    for hook in _base_.custom_hooks
]

# RTMPose on COCO at 256x192: the full recipe of the paper (arXiv 2303.07399, Table 7 / section 3), the same for every
# model size. Each rtmpose-<size>_*.py config takes its size's row of model_sizes.py: the backbone's deepen/widen
# factors, its pretrained checkpoint and the head's in_channels (the backbone's last-stage width).
_base_ = ['mmpose::_base_/default_runtime.py', './model_sizes.py']

# Our RTMCCHead / RTMCCBlock / SimCCLabel / KLDiscretLoss live in the `rtmpose` scope; everything else falls through
# to MMPose (and, with `_scope_='mmdet'`, to mmdet).
default_scope = 'rtmpose'
custom_imports = dict(imports=['rtmpose'], allow_failed_imports=False)

# ---------------------------------------------------------------- schedule
max_epochs = 420
stage2_num_epochs = 30
base_lr = 4e-3
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
randomness = dict(seed=21)

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=base_lr, weight_decay=0.05),
    # no weight decay on norms and biases
    paramwise_cfg=dict(norm_decay_mult=0, bias_decay_mult=0, bypass_duplicate=True))

param_scheduler = [
    # 1000-iteration linear warm-up
    dict(type='LinearLR', start_factor=1.0e-5, by_epoch=False, begin=0, end=1000),
    # flat until max_epochs // 2, then cosine down to 5% of base_lr at max_epochs
    dict(
        type='CosineAnnealingLR',
        eta_min=base_lr * 0.05,
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2,
        by_epoch=True,
        convert_to_iter_based=True),
]
# the recipe is for 8 GPUs x 256 images; `--auto-scale-lr` rescales lr for other batch sizes
auto_scale_lr = dict(base_batch_size=1024)

# ---------------------------------------------------------------- model
codec = dict(
    type='SimCCLabel', input_size=(192, 256), sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=False,
    use_dark=False)

# each size's config adds its row of model_sizes.py: the backbone's deepen_factor, widen_factor and
# init_cfg.checkpoint and the head's in_channels
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor', mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
    backbone=dict(
        _scope_='mmdet',
        type='CSPNeXt',
        arch='P5',
        expand_ratio=0.5,
        out_indices=(4, ),
        channel_attention=True,
        norm_cfg=dict(type='SyncBN'),
        act_cfg=dict(type='SiLU'),
        init_cfg=dict(type='Pretrained', prefix='backbone.')),
    head=dict(
        type='RTMCCHead',
        out_channels=17,
        input_size=codec['input_size'],
        in_featuremap_size=tuple(s // 32 for s in codec['input_size']),
        simcc_split_ratio=codec['simcc_split_ratio'],
        final_layer_kernel_size=7,
        gau_cfg=dict(
            hidden_dims=256, s=128, expansion_factor=2, dropout_rate=0., drop_path=0., act_fn='SiLU',
            use_rel_bias=False, pos_enc=False),
        # tau = 1 / beta = 0.1
        loss=dict(type='KLDiscretLoss', use_target_weight=True, beta=10., label_softmax=True),
        decoder=codec),
    test_cfg=dict(flip_test=True))

# ---------------------------------------------------------------- data
dataset_type = 'CocoDataset'
data_mode = 'topdown'
# `COCO_ROOT=/path/to/coco/ mim test ...` moves every COCO path at once (mmengine reads the variable when parsing)
data_root = '{{$COCO_ROOT:data/coco/}}'
backend_args = dict(backend='local')

# stage 1: strong augmentation
train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform', scale_factor=[0.6, 1.4], rotate_factor=80),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='mmdet.YOLOXHSVRandomAug'),
    dict(
        type='Albumentation',
        transforms=[
            dict(type='Blur', p=0.1),
            dict(type='MedianBlur', p=0.1),
            dict(type='CoarseDropout', max_holes=1, max_height=0.4, max_width=0.4, min_holes=1, min_height=0.2,
                 min_width=0.2, p=1.0),
        ]),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
# stage 2 (last `stage2_num_epochs` epochs): weaker augmentation
train_pipeline_stage2 = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform', shift_factor=0., scale_factor=[0.75, 1.25], rotate_factor=60),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='mmdet.YOLOXHSVRandomAug'),
    dict(
        type='Albumentation',
        transforms=[
            dict(type='Blur', p=0.1),
            dict(type='MedianBlur', p=0.1),
            dict(type='CoarseDropout', max_holes=1, max_height=0.4, max_width=0.4, min_holes=1, min_height=0.2,
                 min_width=0.2, p=0.5),
        ]),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs'),
]

train_dataloader = dict(
    batch_size=256,
    num_workers=10,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/'),
        pipeline=train_pipeline))
# evaluated on person boxes from a detector with 56.4 human AP, as in the paper
val_dataloader = dict(
    batch_size=64,
    num_workers=10,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/person_keypoints_val2017.json',
        bbox_file=data_root + 'person_detection_results/COCO_val2017_detections_AP_H_56_person.json',
        data_prefix=dict(img='val2017/'),
        test_mode=True,
        pipeline=val_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='CocoMetric', ann_file=data_root + 'annotations/person_keypoints_val2017.json')
test_evaluator = val_evaluator

# ---------------------------------------------------------------- hooks
# checkpoints are written atomically (never half-written if the run is killed), and an outdated one is removed only
# once the new one and last_checkpoint are in place (our hook: `_scope_` replaces the 'mmpose' of MMPose's default)
default_hooks = dict(
    checkpoint=dict(type='AtomicCheckpointHook', _scope_='rtmpose', save_best='coco/AP', rule='greater',
                    max_keep_ckpts=1, backend_args=dict(backend='atomic_local')))
custom_hooks = [
    # a missing or broken input (data, checkpoint) or a diverged loss ends the output with its message, not a traceback
    dict(type='ErrorReportHook'),
    # a second run into a work dir in use stops, naming the run that uses it (released when that run's process ends)
    dict(type='WorkDirLockHook'),
    # known-harmless warnings of mmengine / mmdet about their own code stay out of the output (ours and others show)
    dict(type='KnownWarningsHook'),
    # official and our own checkpoints hold numpy objects, which torch >= 2.6 refuses to load by default: the run loads
    # the checkpoints it names (load_from / --checkpoint, --resume, init_cfg) with weights_only=False, and only those
    dict(type='TrustedCheckpointHook'),
    dict(type='EMAHook', ema_type='ExpMomentumEMA', momentum=0.0002, update_buffers=True, priority=49),
    dict(type='mmdet.PipelineSwitchHook', switch_epoch=max_epochs - stage2_num_epochs,
         switch_pipeline=train_pipeline_stage2),
    dict(type='CheckpointCheckHook'),
    # a NaN/inf loss or weights stop the run before anything non-finite is saved
    dict(type='FiniteCheckHook'),
    # a dataset of another keypoint count than the head stops the run before the first batch
    dict(type='KeypointCountHook'),
    # a codec that no longer matches its copies in the model and pipelines (--cfg-options codec.input_size=...)
    # stops the run before it starts, naming the copies to override instead
    dict(type='CodecCheckHook'),
    dict(type='TrainingCurveHook', metric='coco/AP'),
]

# RTMPose-t on the embedded demo dataset: a synthetic COCO-format person-keypoint set that the dataset class
# generates into data/demo/seed0_train1500_val200 on first use (deterministic, seeded). Trains from scratch on a CPU
# in minutes:
#   mim train mmpose configs/rtmpose-t_demo.py --work-dir work_dirs/rtmpose-t_demo
#   mim test mmpose configs/rtmpose-t_demo.py --checkpoint work_dirs/rtmpose-t_demo/epoch_<N>.pth
# Same model and recipe as rtmpose-t_coco.py, scaled to the task: 128x96 input (sigma halved with it), no pretrained
# backbone (no download), features read at stride 16 (the unused last stage dropped), batch 16, a short schedule with
# a 100-iteration warm-up, data loaded in the main process, bfloat16 mixed precision where the CPU has it,
# convolutions in channels-last memory format. What each choice bought, measured, is in
# benchmarks/results/demo_training.md.
_base_ = ['./rtmpose-t_coco.py']

demo_cfg = dict(num_train=1500, num_val=200, seed=0)
# each demo_cfg has a folder of its own: another one is generated beside it, never over it
data_root = 'data/demo/seed{seed}_train{num_train}_val{num_val}/'.format(**demo_cfg)
# COCO-17 (what the generator annotates), named so that tools which read the config's metainfo (MMPose's init_model)
# find it instead of falling back to COCO with a warning
metainfo = dict(from_file='{{fileDirname}}/_base_/datasets/coco.py')
input_size = (96, 128)
codec = dict(_base_.codec, input_size=input_size, sigma=(2.45, 2.83))

max_epochs = 27
stage2_num_epochs = 3
# the recipe's 4e-3 is for 8x256 images per step; batch 16 from scratch stalls at 4e-3 and is unstable at 2e-3
base_lr = 1e-3
# base_lr is for 16 images per step: `--auto-scale-lr` multiplies it by (processes x batch_size) / 16
auto_scale_lr = dict(base_batch_size=16)
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
randomness = dict(seed=21)
# Forward pass and loss under bfloat16 autocast (weights, gradients and the SimCC loss stay float32; validation runs
# in float32): faster at the same AP on a CPU with native bfloat16; one without trains in float32 (the wrapper says
# so). Fused AdamW: one kernel for all parameters instead of a Python loop over them.
optim_wrapper = dict(type='BF16OptimWrapper', optimizer=dict(lr=base_lr, fused=True))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0e-5, by_epoch=False, begin=0, end=100),
    dict(type='CosineAnnealingLR', eta_min=base_lr * 0.05, begin=max_epochs // 2, end=max_epochs,
         T_max=max_epochs - max_epochs // 2, by_epoch=True, convert_to_iter_based=True),
]

# At 128x96 the stride-32 map would be 3x4, leaving each keypoint token 12 spatial values; reading the features
# at stride 16 (the CSPNeXt stage before the last) gives the 6x8 map of the paper's 256x192 model. The last stage
# (and its SPPF) would then compute nothing that is used, so the architecture stops after stage 3 (the P5 settings
# of mmdet's CSPNeXt without their last row).
model = dict(
    backbone=dict(out_indices=(3, ), init_cfg=None,
                  arch_ovewrite=[[64, 128, 3, True, False], [128, 256, 6, True, False], [256, 512, 6, True, False]]),
    head=dict(in_channels=192, input_size=input_size, in_featuremap_size=(6, 8), decoder=codec))

# A short schedule from scratch learns fastest with light augmentation and more, smaller steps than the recipe's.
# Stage 1 flips and jitters scale and rotation a little, stage 2 less.
def light_pipeline(scale: float, rotation: float) -> list[dict]:
    return [
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='RandomFlip', direction='horizontal'),
        dict(type='RandomBBoxTransform', shift_factor=0., scale_factor=[1 - scale, 1 + scale],
             rotate_factor=rotation),
        dict(type='TopdownAffine', input_size=input_size),
        dict(type='GenerateTarget', encoder=codec),
        dict(type='PackPoseInputs'),
    ]


train_pipeline = light_pipeline(0.15, 20)
train_pipeline_stage2 = light_pipeline(0.1, 10)
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='PackPoseInputs'),
]

# Data loaded in the main process: on 2 cores a loader process takes CPU from the training step's two threads for
# longer than loading takes.
# EpochSeedHook seeds the augmentation from (seed, epoch), so a resumed run repeats an uninterrupted one.
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        type='DemoCocoDataset',
        data_root=data_root,
        demo_cfg=demo_cfg,
        metainfo=metainfo,
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='train/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        type='DemoCocoDataset',
        data_root=data_root,
        demo_cfg=demo_cfg,
        metainfo=metainfo,
        ann_file='annotations/person_keypoints_val.json',
        bbox_file=None,
        data_prefix=dict(img='val/'),
        pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/person_keypoints_val.json')
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2), logger=dict(interval=10))
# Channels-last convolutions: oneDNN's fastest layout
custom_hooks = [dict(type='EpochSeedHook'), dict(type='ChannelsLastHook')] + [
    dict(h, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_pipeline' in h else h for h in _base_.custom_hooks
]

# Distributed runs (tools/dist_train.sh; with GPUs also mim train --gpus N --launcher pytorch): DeviceAwareDDP is
# mmengine's DDP wrapper that also runs on CPU processes (SyncBN as BatchNorm there, said once in the log).
# (mmengine looks model wrappers up in its root registry: the full path reaches ours)
model_wrapper_cfg = dict(type='rtmpose.engine.DeviceAwareDDP')

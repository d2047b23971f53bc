# RTMPose-t on the embedded demo dataset: a synthetic COCO-format person-keypoint set that the dataset class
# generates into data/demo on first use (deterministic, seeded). Trains from scratch on a CPU in minutes:
#   mim train mmpose configs/rtmpose-t_demo.py --work-dir work_dirs/rtmpose-t_demo
#   mim test mmpose configs/rtmpose-t_demo.py --checkpoint work_dirs/rtmpose-t_demo/epoch_<N>.pth
# Same model and recipe as rtmpose-t_coco.py, scaled to the task: 128x96 input (sigma halved with it), no pretrained
# backbone (no download), batch 32, a short schedule with a 100-iteration warm-up.
_base_ = ['./rtmpose-t_coco.py']

data_root = 'data/demo/'
demo_cfg = dict(num_train=1500, num_val=200, seed=0)
input_size = (96, 128)
codec = dict(_base_.codec, input_size=input_size, sigma=(2.45, 2.83))

max_epochs = 20
stage2_num_epochs = 3
base_lr = 4e-3
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
randomness = dict(seed=21)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0e-5, by_epoch=False, begin=0, end=100),
    dict(type='CosineAnnealingLR', eta_min=base_lr * 0.05, begin=max_epochs // 2, end=max_epochs,
         T_max=max_epochs // 2, by_epoch=True, convert_to_iter_based=True),
]

model = dict(
    backbone=dict(init_cfg=None),
    head=dict(input_size=input_size, in_featuremap_size=(3, 4), decoder=codec))

train_pipeline, train_pipeline_stage2, val_pipeline = ([
    dict(t, input_size=input_size) if t['type'] == 'TopdownAffine' else
    dict(t, encoder=codec) if t['type'] == 'GenerateTarget' else t for t in pipeline
] for pipeline in (_base_.train_pipeline, _base_.train_pipeline_stage2, _base_.val_pipeline))

# non-persistent workers are re-seeded identically every epoch, so a resumed run repeats an uninterrupted one
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=False,
    dataset=dict(
        type='DemoCocoDataset',
        data_root=data_root,
        demo_cfg=demo_cfg,
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='train/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(
        type='DemoCocoDataset',
        data_root=data_root,
        demo_cfg=demo_cfg,
        ann_file='annotations/person_keypoints_val.json',
        bbox_file=None,
        data_prefix=dict(img='val/'),
        pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/person_keypoints_val.json')
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2), logger=dict(interval=10))
custom_hooks = [
    dict(h, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_pipeline' in h else h for h in _base_.custom_hooks
]

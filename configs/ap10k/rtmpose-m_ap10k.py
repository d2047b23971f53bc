# RTMPose-m, AP-10K (17 animal keypoints), 256x256: the COCO recipe for 210 epochs on batches of 64 at a square input
# (label sigma 5.66, 8x8 feature map), from the AIC+COCO-pretrained CSPNeXt-m; AP on ground-truth boxes, validated on
# split 1's val set and tested on its test set (paper, Table 9).
_base_ = ['../_base_/rtmpose_coco.py']

max_epochs = 210
train_cfg = dict(max_epochs=max_epochs)
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
train_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **sized.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
val_pipeline = [dict(t, **sized.get(t['type'], {})) for t in _base_.val_pipeline]

dataset_type = 'AP10KDataset'
data_root = 'data/ap10k/'
train_dataloader = dict(
    batch_size=64,
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/ap10k-train-split1.json',
                 data_prefix=dict(img='data/'), pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        _delete_=True, type=dataset_type, data_root=data_root, data_mode='topdown',
        ann_file='annotations/ap10k-val-split1.json', data_prefix=dict(img='data/'), test_mode=True,
        pipeline=val_pipeline))
test_dataloader = dict(
    batch_size=32,
    dataset=dict(
        _delete_=True, type=dataset_type, data_root=data_root, data_mode='topdown',
        ann_file='annotations/ap10k-test-split1.json', data_prefix=dict(img='data/'), test_mode=True,
        pipeline=val_pipeline))

val_evaluator = dict(ann_file=data_root + 'annotations/ap10k-val-split1.json')
test_evaluator = dict(type='CocoMetric', ann_file=data_root + 'annotations/ap10k-test-split1.json')

custom_hooks = [
    dict(hook, switch_epoch=max_epochs - 30, switch_pipeline=train_pipeline_stage2) if 'switch_epoch' in hook else hook
    for hook in _base_.custom_hooks
]

# RTMPose-m, CrowdPose (14 keypoints), 256x192: the COCO recipe for 210 epochs at lr 5e-4 on batches of 64, from the
# AIC+COCO-pretrained CSPNeXt-m; tested on the YOLOv3 person boxes of CrowdPose's test set, as in the paper (Table 8),
# with the crowd-index metric (AP easy / medium / hard). Layout: data/crowdpose/annotations, data/pose/CrowdPose/images.
_base_ = ['../_base_/rtmpose_coco.py']

max_epochs = 210
base_lr = 5e-4
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(optimizer=dict(lr=base_lr))
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], eta_min=base_lr * 0.05, begin=max_epochs // 2, end=max_epochs,
         T_max=max_epochs // 2),
]
# 8 GPUs x 64 images
auto_scale_lr = dict(base_batch_size=512)

model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=dict(model_size.head, out_channels=14))

dataset_type = 'CrowdPoseDataset'
data_root = 'data/'
train_dataloader = dict(
    batch_size=64,
    dataset=dict(
        type=dataset_type, data_root=data_root, ann_file='crowdpose/annotations/mmpose_crowdpose_trainval.json',
        data_prefix=dict(img='pose/CrowdPose/images/')))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        type=dataset_type, data_root=data_root, ann_file='crowdpose/annotations/mmpose_crowdpose_test.json',
        bbox_file='data/crowdpose/annotations/det_for_crowd_test_0.1_0.5.json',
        data_prefix=dict(img='pose/CrowdPose/images/')))
test_dataloader = val_dataloader

val_evaluator = dict(
    ann_file=data_root + 'crowdpose/annotations/mmpose_crowdpose_test.json', use_area=False,
    iou_type='keypoints_crowd', prefix='crowdpose')
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(save_best='crowdpose/AP'))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - 30) if 'switch_epoch' in hook else
    dict(hook, metric='crowdpose/AP') if hook['type'] == 'TrainingCurveHook' else hook
    for hook in _base_.custom_hooks
]

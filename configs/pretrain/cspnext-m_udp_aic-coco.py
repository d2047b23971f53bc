# UDP pretraining of CSPNeXt-m on AIC+COCO (19 keypoints), 256x192; evaluated on COCO val2017's 17 keypoints without
# flip test, as MMPose's config.
_base_ = ['./_base_/cspnext_udp_coco.py', './_base_/aic-coco-19_dataset.py']

model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.in1k)),
    head=dict(model_size.head, out_channels=19),
    test_cfg=dict(_delete_=True, flip_test=False, output_keypoint_indices=list(range(17))))
train_dataloader = dict(dataset=dict(_base_.aic_coco_19_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))

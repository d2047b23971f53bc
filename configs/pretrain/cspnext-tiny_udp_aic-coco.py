# UDP pretraining of CSPNeXt-tiny on AIC+COCO (19 keypoints), 256x192; evaluated on COCO val2017's 17 keypoints without
# flip test, as MMPose's config; no weight decay. No EMA for the tiny model.
_base_ = ['./_base_/cspnext_udp_coco.py', './_base_/aic-coco-19_dataset.py']

model_size = _base_.model_sizes.t
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.in1k)),
    head=dict(model_size.head, out_channels=19),
    test_cfg=dict(_delete_=True, flip_test=False, output_keypoint_indices=list(range(17))))
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
train_dataloader = dict(dataset=dict(_base_.aic_coco_19_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))
custom_hooks = [hook for hook in _base_.custom_hooks if hook['type'] != 'EMAHook']

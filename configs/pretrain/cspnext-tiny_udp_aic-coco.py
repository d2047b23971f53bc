# UDP pretraining of CSPNeXt-tiny on AIC+COCO (19 keypoints), 256x192; evaluated on COCO val2017's 17 keypoints without
# flip test, as MMPose's config; no weight decay. No EMA for the tiny model.
_base_ = ['./_base_/cspnext_udp_coco.py', './_base_/aic-coco-19_dataset.py']

model = dict(
    backbone=dict(
        deepen_factor=0.167,
        widen_factor=0.375,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-tiny_imagenet_600e-3a2dd350.pth')),
    head=dict(in_channels=384, out_channels=19),
    test_cfg=dict(_delete_=True, flip_test=False, output_keypoint_indices=list(range(17))))
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
train_dataloader = dict(dataset=dict(_base_.aic_coco_19_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))
custom_hooks = [hook for hook in _base_.custom_hooks if hook['type'] != 'EMAHook']

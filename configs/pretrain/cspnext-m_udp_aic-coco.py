# UDP pretraining of CSPNeXt-m on AIC+COCO (19 keypoints), 256x192; evaluated on COCO val2017's 17 keypoints without
# flip test, as MMPose's config.
_base_ = ['./_base_/cspnext_udp_coco.py', './_base_/aic-coco-19_dataset.py']

model = dict(
    backbone=dict(
        deepen_factor=0.67,
        widen_factor=0.75,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-m_8xb256-rsb-a1-600e_in1k-ecb3bbd9.pth')),
    head=dict(in_channels=768, out_channels=19),
    test_cfg=dict(_delete_=True, flip_test=False, output_keypoint_indices=list(range(17))))
train_dataloader = dict(dataset=dict(_base_.aic_coco_19_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))

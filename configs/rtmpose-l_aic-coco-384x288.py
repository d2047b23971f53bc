# RTMPose-l, trained on AIC+COCO, 384x288, evaluated on COCO val2017: CSPNeXt-l.
_base_ = ['./_base_/rtmpose_coco-384x288.py', './_base_/aic-coco_datasets.py']

model = dict(
    backbone=dict(
        deepen_factor=1.,
        widen_factor=1.,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'cspnext-l_udp-aic-coco_210e-256x192-273b7631_20230130.pth')),
    head=dict(in_channels=1024))
train_dataloader = dict(dataset=dict(_base_.aic_coco_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))

# RTMPose-m, trained on AIC+COCO, 384x288, evaluated on COCO val2017: CSPNeXt-m.
_base_ = ['./_base_/rtmpose_coco-384x288.py', './_base_/aic-coco_datasets.py']

model_size = _base_.model_sizes.m
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=model_size.head)
train_dataloader = dict(dataset=dict(_base_.aic_coco_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))

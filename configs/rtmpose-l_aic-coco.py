# RTMPose-l, trained on AIC+COCO, 256x192, evaluated on COCO val2017.
_base_ = ['./rtmpose-l_coco.py', './_base_/aic-coco_datasets.py']

train_dataloader = dict(dataset=dict(_base_.aic_coco_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))

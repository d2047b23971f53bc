# RTMPose-l, trained on AIC+COCO, 256x192, evaluated on COCO val2017.
_base_ = ['./rtmpose-l_coco.py', './_base_/aic-coco_datasets.py']

train_dataloader = dict(
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
                 datasets=_base_.aic_coco_datasets, pipeline=_base_.train_pipeline, test_mode=False))

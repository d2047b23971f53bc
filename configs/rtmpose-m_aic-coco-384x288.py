# RTMPose-m, trained on AIC+COCO, 384x288, evaluated on COCO val2017.
_base_ = ['./rtmpose-m_coco-384x288.py', './_base_/aic-coco_datasets.py']

train_dataloader = dict(
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
                 datasets=_base_.aic_coco_datasets, pipeline=_base_.train_pipeline, test_mode=False))

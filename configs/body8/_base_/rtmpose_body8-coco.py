# RTMPose on Body8 with COCO's 17 keypoints (MMPose's Body8 recipe), 256x192: trained 420 epochs (the strong
# augmentation switched off for the last 20) on 7 combined sets, a wide box scale (0.5-1.5) and rotation (90 degrees)
# in both stages and photometric distortion after the HSV jitter in the first; validated by COCO AP on val2017 with the
# AP_H_56 person detections, tested by PCK@0.1, AUC and EPE on the 8 Body8 test sets. The rtmpose-*_body8*.py configs
# state the size and checkpoint.
_base_ = ['../../_base_/rtmpose_coco.py', './body8_datasets.py']

stage2_num_epochs = 20

wider = dict(RandomBBoxTransform=dict(scale_factor=[0.5, 1.5], rotate_factor=90))
train_pipeline = [
    step for t in _base_.train_pipeline for step in (
        [dict(t, **wider.get(t['type'], {}))] if t['type'] != 'mmdet.YOLOXHSVRandomAug' else
        [t, dict(type='PhotometricDistortion')])
]
train_pipeline_stage2 = [dict(t, **wider.get(t['type'], {})) for t in _base_.train_pipeline_stage2]

coco17_meta = dict(from_file='configs/_base_/datasets/coco.py')
train_dataloader = dict(
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=coco17_meta, datasets=_base_.body8_coco_train_datasets,
                 pipeline=train_pipeline, test_mode=False))
val_dataloader = dict(
    dataset=dict(data_root='data/', ann_file='coco/annotations/person_keypoints_val2017.json',
                 bbox_file='data/coco/person_detection_results/COCO_val2017_detections_AP_H_56_person.json',
                 data_prefix=dict(img='detection/coco/val2017/')))
test_dataloader = dict(
    batch_size=64,
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=coco17_meta, datasets=_base_.body8_coco_test_datasets,
                 pipeline=_base_.val_pipeline, test_mode=True))

val_evaluator = dict(ann_file='data/coco/annotations/person_keypoints_val2017.json')
test_evaluator = [dict(type='PCKAccuracy', thr=0.1), dict(type='AUC'), dict(type='EPE')]

custom_hooks = [
    dict(hook, switch_epoch=_base_.max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_epoch' in hook else hook for hook in _base_.custom_hooks
]

# RTMPose-m, Hand5 (21 keypoints from 5 hand sets), 256x256: the COCO-WholeBody-Hand recipe on the combined sets, 8 GPUs
# x 256 images, the weaker stage for the last 10 epochs with stronger blur; PCK@0.2, AUC and EPE on the 5 test sets.
# Halpe's hands come from our HalpeHandDataset (MMPose 1.3.2 names the class but has none).
_base_ = ['./rtmpose-m_coco-wholebody-hand.py', './_base_/hand5_datasets.py']

# as MMPose's Hand5 config: the AIC+COCO CSPNeXt-m checkpoint's file published under projects/rtmpose/
model = dict(backbone=dict(init_cfg=dict(
    checkpoint=_base_.model_size.checkpoints.udp_aic_coco.replace('/rtmposev1/', '/rtmpose/'))))
# the weaker stage blurs more (Blur and MedianBlur at p=0.2)
train_pipeline_stage2 = [
    dict(t, transforms=[dict(a, p=0.2) if a['type'] in ('Blur', 'MedianBlur') else a for a in t['transforms']])
    if t['type'] == 'Albumentation' else t for t in _base_.train_pipeline_stage2
]

hand_meta = dict(from_file='configs/_base_/datasets/coco_wholebody_hand.py')
train_dataloader = dict(
    batch_size=256,
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=hand_meta, datasets=_base_.hand5_train_datasets,
                 pipeline=_base_.train_pipeline, test_mode=False))
val_dataloader = dict(
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=hand_meta, datasets=_base_.hand5_test_datasets,
                 pipeline=_base_.val_pipeline, test_mode=True))
test_dataloader = val_dataloader
custom_hooks = [dict(h, switch_epoch=200, switch_pipeline=train_pipeline_stage2) if 'switch_epoch' in h else h
                for h in _base_.custom_hooks]

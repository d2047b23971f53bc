# Heatmap-based UDP pretraining of the CSPNeXt backbone on COCO at 256x192 (the paper, section 3.1): the RTMPose
# recipe (optimizer, warm-up, cosine schedule, two augmentation stages) for 210 epochs with a HeatmapHead on a 48x64
# UDP heatmap, MSE loss and UDP cropping, from the ImageNet-1k CSPNeXt; AP on ground-truth boxes, as MMPose reports
# it. Its checkpoint seeds the RTMPose configs (backbone init_cfg with prefix='backbone.'). The
# cspnext-{tiny,s,m,l}_udp_coco.py configs name the backbone size.
_base_ = ['../../_base_/rtmpose_coco.py']

max_epochs = 210
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]

udp_codec = dict(type='UDPHeatmap', input_size=(192, 256), heatmap_size=(48, 64), sigma=2)
codec = dict(_delete_=True, **udp_codec)
model = dict(
    head=dict(_delete_=True, type='HeatmapHead', out_channels=17,
              loss=dict(type='KeypointMSELoss', use_target_weight=True), decoder=udp_codec),
    test_cfg=dict(flip_mode='heatmap', shift_heatmap=False))

udp = dict(TopdownAffine=dict(use_udp=True), GenerateTarget=dict(encoder=udp_codec))
train_pipeline = [dict(t, **udp.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **udp.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
val_pipeline = [dict(t, **udp.get(t['type'], {})) for t in _base_.val_pipeline]

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True, type='CocoDataset', data_root='data/coco/', data_mode='topdown',
        ann_file='annotations/person_keypoints_val2017.json', data_prefix=dict(img='val2017/'), test_mode=True,
        pipeline=val_pipeline))
test_dataloader = val_dataloader
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - 30, switch_pipeline=train_pipeline_stage2) if 'switch_epoch' in hook else hook
    for hook in _base_.custom_hooks
]

# RTMPose on Face6 (LaPa's 106 landmarks learnt from 6 face sets, MMPose's Face6 recipe), 256x256: 120 epochs (the
# strong augmentation switched off for the last 10), the cosine decay from epoch 30 down to 0.5% of the rate,
# gradients clipped at norm 35, from the ImageNet-1k CSPNeXt; each set's keypoint weights in the targets, a wide box
# scale (0.5-1.5), stronger blur in the first stage; validated by NME on LaPa's test set every epoch, tested on the 6
# test sets. The rtmpose-{t,s,m}_face6.py configs state the size.
_base_ = ['../../_base_/rtmpose_coco.py', './face6_datasets.py']

max_epochs = 120
stage2_num_epochs = 10
base_lr = 4e-3
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], eta_min=base_lr * 0.005, begin=30, end=max_epochs, T_max=max_epochs - 30),
]
optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))
auto_scale_lr = dict(base_batch_size=512)

input_size = (256, 256)
codec = dict(_base_.codec, input_size=input_size, sigma=(5.66, 5.66))
model = dict(head=dict(out_channels=106, input_size=input_size, in_featuremap_size=(8, 8), decoder=codec))

wide = dict(RandomBBoxTransform=dict(scale_factor=[0.5, 1.5], rotate_factor=80),
            TopdownAffine=dict(input_size=input_size),
            GenerateTarget=dict(encoder=codec, use_dataset_keypoint_weights=True))
# the first stage blurs more (Blur and MedianBlur at p=0.2)
stage1 = dict(wide, Albumentation=dict(transforms=[
    dict(a, p=0.2) if a['type'] in ('Blur', 'MedianBlur') else a
    for t in _base_.train_pipeline if t['type'] == 'Albumentation' for a in t['transforms']]))
train_pipeline = [dict(t, **stage1.get(t['type'], {})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **wide.get(t['type'], {})) for t in _base_.train_pipeline_stage2]
val_pipeline = [dict(t, input_size=input_size) if t['type'] == 'TopdownAffine' else t for t in _base_.val_pipeline]

lapa = dict(from_file='configs/_base_/datasets/lapa.py')
train_dataloader = dict(
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=lapa, datasets=_base_.face6_train_datasets,
                 pipeline=train_pipeline, test_mode=False))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(_delete_=True, type='LapaDataset', data_root='data/', data_mode='topdown',
                 ann_file='LaPa/annotations/lapa_test.json', data_prefix=dict(img='pose/LaPa/'), test_mode=True,
                 pipeline=val_pipeline))
test_dataloader = dict(
    batch_size=32,
    dataset=dict(_delete_=True, type='CombinedDataset', metainfo=lapa, datasets=_base_.face6_test_datasets,
                 pipeline=val_pipeline, test_mode=True))

val_evaluator = dict(_delete_=True, type='NME', norm_mode='keypoint_distance')
test_evaluator = val_evaluator

default_hooks = dict(checkpoint=dict(save_best='NME', rule='less', interval=1))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_epoch' in hook else dict(hook, metric='NME') if hook['type'] == 'TrainingCurveHook' else hook
    for hook in _base_.custom_hooks
]

# RTMPose-m, LaPa (106 face landmarks), 256x256: 120 epochs (the last 10 weaker), batches of 32, a wider box scale
# (0.5-1.5), photometric distortion and stronger blur in the first stage; validated on LaPa's val set and tested on
# its test set. Layout: data/LaPa/annotations/lapa_{train,val,test}.json with the image paths inside them.
_base_ = ['./_base_/rtmpose-m_face.py']

max_epochs = 120
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]

model = dict(head=dict(out_channels=106))
# the first stage: a wider box scale and stronger blur (Blur and MedianBlur at p=0.2), photometric distortion after
# the HSV jitter and, as the official LaPa config, the half-body step after the flip (face metainfo has no body
# halves, so it never fires)
stage1 = dict(RandomBBoxTransform=dict(scale_factor=[0.5, 1.5]), Albumentation=dict(transforms=[
    dict(a, p=0.2) if a['type'] in ('Blur', 'MedianBlur') else a
    for t in _base_.train_pipeline if t['type'] == 'Albumentation' for a in t['transforms']]))
after = {'RandomFlip': dict(type='RandomHalfBody'), 'mmdet.YOLOXHSVRandomAug': dict(type='PhotometricDistortion')}
train_pipeline = [step for t in _base_.train_pipeline
                  for step in (dict(t, **stage1.get(t['type'], {})), after.get(t['type'])) if step]

dataset_type = 'LapaDataset'
data_root = 'data/LaPa/'
train_dataloader = dict(
    batch_size=32,
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/lapa_train.json',
                 data_prefix=dict(img=''), pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/lapa_val.json',
                 data_prefix=dict(img='')))
test_dataloader = dict(
    batch_size=32,
    dataset=dict(_delete_=True, type=dataset_type, data_root=data_root, data_mode='topdown',
                 ann_file='annotations/lapa_test.json', data_prefix=dict(img=''), test_mode=True,
                 pipeline=_base_.val_pipeline))
custom_hooks = [
    dict(hook, switch_epoch=max_epochs - 10) if 'switch_epoch' in hook else hook for hook in _base_.custom_hooks
]

# RTMPose-m, COCO-WholeBody-Face (68 face landmarks), 256x256, on batches of 32. Layout: data/coco/{annotations,
# train2017,val2017} with the COCO-WholeBody v1.0 annotations.
_base_ = ['./_base_/rtmpose-m_face.py']

model = dict(head=dict(out_channels=68))
dataset_type = 'CocoWholeBodyFaceDataset'
data_root = 'data/coco/'
train_dataloader = dict(
    batch_size=32,
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/coco_wholebody_train_v1.0.json',
                 data_prefix=dict(img='train2017/')))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/coco_wholebody_val_v1.0.json',
                 data_prefix=dict(img='val2017/')))
test_dataloader = val_dataloader

# RTMPose-m, WFLW (98 face landmarks), 256x256. Layout: data/wflw/{annotations,images}.
_base_ = ['./_base_/rtmpose-m_face.py']

model = dict(head=dict(out_channels=98))
dataset_type = 'WFLWDataset'
data_root = 'data/wflw/'
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/face_landmarks_wflw_train.json',
                 data_prefix=dict(img='images/')))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/face_landmarks_wflw_test.json',
                 data_prefix=dict(img='images/')))
test_dataloader = val_dataloader

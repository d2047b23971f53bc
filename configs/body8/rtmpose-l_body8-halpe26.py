# RTMPose-l, Body8, Halpe26, 256x192: 8 GPUs x 512 images, from the Body7-trained RTMPose-l, 5 data workers.
_base_ = ['./_base_/rtmpose_body8-halpe26.py']

model = dict(
    backbone=dict(
        deepen_factor=1.,
        widen_factor=1.,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                      'rtmpose-l_simcc-body7_pt-body7_420e-256x192-4dba18fc_20230504.pth')),
    head=dict(in_channels=1024))
train_dataloader = dict(num_workers=5)
val_dataloader = dict(num_workers=5)
test_dataloader = val_dataloader

# RTMDet-nano hand detector at 320x320, the detector of the RTMPose hand pipeline (the official
# rtmdet_nano_320-8xb32_hand model): the person detector's network and training with the one class 'hand'.
# Boxes: any COCO-format set of hand boxes, e.g. the hand boxes of COCO-WholeBody written as a COCO detection file.
#   mim train mmdet configs/rtmdet/rtmdet-nano_hand.py --cfg-options data_root=data/hand/
#   python tools/deploy.py deploy_configs/detection/detection_onnxruntime_static-320x320.py \
#       configs/rtmdet/rtmdet-nano_hand.py <official_checkpoint below> demo.jpg --work-dir rtmdet-nano-hand --dump-info
_base_ = './rtmdet-nano_person.py'

official_checkpoint = ('https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
                       'rtmdet_nano_8xb32-300e_hand-267f9c8f.pth')
hand = dict(classes=('hand', ))

train_dataloader = dict(dataset=dict(metainfo=hand))
val_dataloader = dict(dataset=dict(metainfo=hand))
test_dataloader = val_dataloader

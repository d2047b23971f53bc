# RTMDet-m person detector at 640x640 (the accurate detector of the RTMPose model zoo): mmdet's RTMDet-m with one
# class and the ImageNet-pretrained CSPNeXt-m backbone; training recipe as mmdet's RTMDet-m (300 epochs, mosaic and
# mixup, EMA, pipeline switch for the last 20 epochs).
#   mim train mmdet configs/rtmdet/rtmdet-m_person.py
#   mim test mmdet configs/rtmdet/rtmdet-m_person.py --checkpoint <official_checkpoint below>
_base_ = ['mmdet::rtmdet/rtmdet_m_8xb32-300e_coco.py', '../_base_/model_sizes.py']

official_checkpoint = ('https://download.openmmlab.com/mmpose/v1/projects/rtmpose/'
                       'rtmdet_m_8xb32-100e_coco-obj365-person-235e8209.pth')
# RTMDet-m's backbone is CSPNeXt-m (RTMPose-m's size)
backbone_checkpoint = _base_.model_sizes.m.checkpoints.in1k
person = dict(classes=('person', ))

model = dict(
    backbone=dict(init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=backbone_checkpoint)),
    bbox_head=dict(num_classes=1),
    test_cfg=dict(nms_pre=1000, min_bbox_size=0, score_thr=0.05, nms=dict(type='nms', iou_threshold=0.6),
                  max_per_img=100))

train_dataloader = dict(dataset=dict(metainfo=person))
val_dataloader = dict(dataset=dict(metainfo=person))
test_dataloader = val_dataloader

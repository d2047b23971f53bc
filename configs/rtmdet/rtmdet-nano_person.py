# RTMDet-nano person detector at 320x320, the detector of the RTMPose pipeline (paper section 3.5) with the settings
# of the official person model: CSPNeXt (deepen 0.33, widen 0.25) with depthwise convs, a 64-channel PAFPN and
# head, one class, mosaic training switched to plain scale jitter for the last 20 of 300 epochs, EMA.
#   mim train mmdet configs/rtmdet/rtmdet-nano_person.py
#   mim test mmdet configs/rtmdet/rtmdet-nano_person.py --checkpoint <official_checkpoint below>
# The official weights (COCO + Objects365 persons) are what ../shared/models/rtmdet-nano-person was exported from.
_base_ = 'mmdet::rtmdet/rtmdet_l_8xb32-300e_coco.py'

official_checkpoint = ('https://download.openmmlab.com/mmpose/v1/projects/rtmpose/'
                       'rtmdet_nano_8xb32-100e_coco-obj365-person-05d8511e.pth')
input_shape = 320
stage2_epochs = 20
person = dict(classes=('person', ))

model = dict(
    backbone=dict(deepen_factor=0.33, widen_factor=0.25, use_depthwise=True),
    neck=dict(in_channels=[64, 128, 256], out_channels=64, num_csp_blocks=1, use_depthwise=True),
    bbox_head=dict(in_channels=64, feat_channels=64, share_conv=False, exp_on_reg=False, use_depthwise=True,
                   num_classes=1),
    test_cfg=dict(nms_pre=1000, min_bbox_size=0, score_thr=0.05, nms=dict(type='nms', iou_threshold=0.6),
                  max_per_img=100))


def person_train_pipeline(size: int, mosaic: bool) -> list[dict]:
    """Stage 1 (``mosaic=True``): cached mosaic of 4 images, then scale jitter around 2x``size`` and a crop;
    stage 2: scale jitter around ``size`` only. Both end with HSV jitter, flip and padding to ``size``."""
    mix = [dict(type='CachedMosaic', img_scale=(size, size), pad_val=114.0, max_cached_images=20,
                random_pop=False)] if mosaic else []
    jitter = size * 2 if mosaic else size
    return [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations', with_bbox=True),
        *mix,
        dict(type='RandomResize', scale=(jitter, jitter), ratio_range=(0.5, 1.5), keep_ratio=True),
        dict(type='RandomCrop', crop_size=(size, size)),
        dict(type='YOLOXHSVRandomAug'),
        dict(type='RandomFlip', prob=0.5),
        dict(type='Pad', size=(size, size), pad_val=dict(img=(114, 114, 114))),
        dict(type='PackDetInputs'),
    ]


train_pipeline = person_train_pipeline(input_shape, mosaic=True)
train_pipeline_stage2 = person_train_pipeline(input_shape, mosaic=False)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(input_shape, input_shape), keep_ratio=True),
    dict(type='Pad', size=(input_shape, input_shape), pad_val=dict(img=(114, 114, 114))),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]

train_dataloader = dict(dataset=dict(pipeline=train_pipeline, metainfo=person))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline, metainfo=person))
test_dataloader = val_dataloader

custom_hooks = [
    dict(type='EMAHook', ema_type='ExpMomentumEMA', momentum=0.0002, update_buffers=True, priority=49),
    dict(type='PipelineSwitchHook', switch_epoch=_base_.max_epochs - stage2_epochs,
         switch_pipeline=train_pipeline_stage2),
]

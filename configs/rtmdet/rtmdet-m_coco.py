# RTMDet-m, mmdet's 80-class COCO detector at 640x640: the detector MMPose's inferencer runs for animals (its alias
# 'rtmdet-m' with COCO's animal classes, ids 15-23: cat to giraffe). Animals have no RTMDet of their own; the model zoo
# name rtmdet-m-animal is this detector keeping those classes. Same settings at test time as the person detectors.
#   mim test mmdet configs/rtmdet/rtmdet-m_coco.py --checkpoint <official_checkpoint below>
#   python tools/deploy.py deploy_configs/detection/detection_onnxruntime_static-320x320.py \
#       configs/rtmdet/rtmdet-m_coco.py <official_checkpoint below> demo.jpg --work-dir rtmdet-m-coco --dump-info
# (a static deploy config fixes the input: this one exports at 320x320, a 640x640 one at the training size)
_base_ = 'mmdet::rtmdet/rtmdet_m_8xb32-300e_coco.py'

official_checkpoint = ('https://download.openmmlab.com/mmdetection/v3.0/rtmdet/rtmdet_m_8xb32-300e_coco/'
                       'rtmdet_m_8xb32-300e_coco_20220719_112220-229f527c.pth')

model = dict(
    test_cfg=dict(nms_pre=1000, min_bbox_size=0, score_thr=0.05, nms=dict(type='nms', iou_threshold=0.6),
                  max_per_img=100))

# RTMPose-m, COCO, 256x192 (74.6 AP on COCO val2017 with AP_H_56 detections; 75.8 when trained on AIC+COCO).
_base_ = ['./_base_/rtmpose_coco.py']

# RTMPose-t, COCO-WholeBody, 256x192: CSPNeXt-tiny; gradients clipped at norm 35 as in the official t/s whole-body
# configs (MMPose's projects/rtmpose), which keep weight decay and EMA for the small models.
_base_ = ['./_base_/rtmpose_coco-wholebody.py']

model_size = _base_.model_sizes.t
model = dict(
    backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
    head=model_size.head)
optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

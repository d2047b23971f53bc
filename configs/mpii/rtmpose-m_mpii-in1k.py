# RTMPose-m on MPII from the ImageNet-1k CSPNeXt-m (RSB-A1, 600 epochs) instead of the AIC+COCO UDP
# pretraining: the paper's fair comparison with other methods pretrained on ImageNet (Table 9).
_base_ = ['./rtmpose-m_mpii.py']

model = dict(backbone=dict(init_cfg=dict(checkpoint=_base_.model_size.checkpoints.in1k)))

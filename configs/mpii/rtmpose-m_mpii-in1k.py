# RTMPose-m on MPII from the ImageNet-1k CSPNeXt-m (RSB-A1, 600 epochs) instead of the AIC+COCO UDP
# pretraining: the paper's fair comparison with other methods pretrained on ImageNet (Table 9).
_base_ = ['./rtmpose-m_mpii.py']

model = dict(
    backbone=dict(
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-m_8xb256-rsb-a1-600e_in1k-ecb3bbd9.pth')))

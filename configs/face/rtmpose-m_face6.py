# RTMPose-m, Face6, 256x256: from the ImageNet-1k CSPNeXt-m.
_base_ = ['./_base_/rtmpose_face6.py']

model = dict(
    backbone=dict(
        deepen_factor=0.67,
        widen_factor=0.75,
        init_cfg=dict(checkpoint='https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
                      'cspnext-m_8xb256-rsb-a1-600e_in1k-ecb3bbd9.pth')),
    head=dict(in_channels=768))

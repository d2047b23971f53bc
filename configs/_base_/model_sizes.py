# The model sizes of RTMPose, one row each: the CSPNeXt backbone's deepen/widen factors, the head's in_channels (the
# width of the backbone's last stage, 1024 x widen_factor) and the official checkpoints a config of that size starts
# from (the backbone's init_cfg, prefix='backbone.'):
#   in1k                 CSPNeXt trained on ImageNet-1k (mmdet's RTMDet backbones)
#   udp_aic_coco         CSPNeXt UDP-pretrained on AIC+COCO at 256x192 (configs/pretrain/)
#   udp_body7            CSPNeXt UDP-pretrained on Body7 at 256x192; udp_body7_384x288 at 384x288
#   simcc_body7          RTMPose trained on Body7 at 256x192; simcc_body7_384x288 at 384x288
# Every config of a size reads its row, e.g. configs/rtmpose-m_coco.py:
#   model_size = _base_.model_sizes.m
#   model = dict(backbone=dict(model_size.backbone, init_cfg=dict(checkpoint=model_size.checkpoints.udp_aic_coco)),
#                head=model_size.head)
# A new size is a row here and its COCO config (configs/rtmpose-<size>_coco.py); the tests read the sizes from here.


def rtmposev1(file: str) -> str:
    """URL of an RTMPose release file."""
    return 'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/' + file


def rsb(file: str) -> str:
    """URL of an ImageNet-1k CSPNeXt of mmdet's RTMDet release."""
    return 'https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/' + file


model_sizes = dict(
    t=dict(
        backbone=dict(deepen_factor=0.167, widen_factor=0.375),
        head=dict(in_channels=384),
        checkpoints=dict(
            in1k=rsb('cspnext-tiny_imagenet_600e-3a2dd350.pth'),
            udp_aic_coco=rtmposev1('cspnext-tiny_udp-aic-coco_210e-256x192-cbed682d_20230130.pth'),
            udp_body7=rtmposev1('cspnext-tiny_udp-body7_210e-256x192-a3775292_20230504.pth'))),
    s=dict(
        backbone=dict(deepen_factor=0.33, widen_factor=0.5),
        head=dict(in_channels=512),
        checkpoints=dict(
            in1k=rsb('cspnext-s_imagenet_600e-ea671761.pth'),
            udp_aic_coco=rtmposev1('cspnext-s_udp-aic-coco_210e-256x192-92f5a029_20230130.pth'),
            udp_body7=rtmposev1('cspnext-s_udp-body7_210e-256x192-8c9ccbdb_20230504.pth'),
            simcc_body7=rtmposev1('rtmpose-s_simcc-body7_pt-body7_420e-256x192-acd4a1ef_20230504.pth'))),
    m=dict(
        backbone=dict(deepen_factor=0.67, widen_factor=0.75),
        head=dict(in_channels=768),
        checkpoints=dict(
            in1k=rsb('cspnext-m_8xb256-rsb-a1-600e_in1k-ecb3bbd9.pth'),
            udp_aic_coco=rtmposev1('cspnext-m_udp-aic-coco_210e-256x192-f2f7d6f6_20230130.pth'),
            udp_body7=rtmposev1('cspnext-m_udp-body7_210e-256x192-e0c9327b_20230504.pth'),
            udp_body7_384x288=rtmposev1('cspnext-m_udp-body7_210e-384x288-b9bc2b57_20230504.pth'),
            simcc_body7=rtmposev1('rtmpose-m_simcc-body7_pt-body7_420e-256x192-e48f03d0_20230504.pth'),
            simcc_body7_384x288=rtmposev1('rtmpose-m_simcc-body7_pt-body7_420e-384x288-65e718c4_20230504.pth'))),
    l=dict(
        backbone=dict(deepen_factor=1., widen_factor=1.),
        head=dict(in_channels=1024),
        checkpoints=dict(
            in1k=rsb('cspnext-l_8xb256-rsb-a1-600e_in1k-6a760974.pth'),
            udp_aic_coco=rtmposev1('cspnext-l_udp-aic-coco_210e-256x192-273b7631_20230130.pth'),
            udp_body7=rtmposev1('cspnext-l_udp-body7_210e-256x192-5e9558ef_20230504.pth'),
            udp_body7_384x288=rtmposev1('cspnext-l_udp-body7_210e-384x288-b15bc30d_20230504.pth'),
            simcc_body7=rtmposev1('rtmpose-l_simcc-body7_pt-body7_420e-256x192-4dba18fc_20230504.pth'),
            simcc_body7_384x288=rtmposev1('rtmpose-l_simcc-body7_pt-body7_420e-384x288-3f5a1437_20230504.pth'))),
    x=dict(
        backbone=dict(deepen_factor=1.33, widen_factor=1.25),
        head=dict(in_channels=1280),
        checkpoints=dict(udp_body7_384x288=rtmposev1('cspnext-x_udp-body7_210e-384x288-d28b58e6_20230529.pth'))),
)

"""ImageNet-pretrained variants (configs/{crowdpose,mpii,ap10k}/rtmpose-m_*-in1k.py): the family config with only the
backbone's pretrained checkpoint swapped to the ImageNet-1k CSPNeXt-m, and that checkpoint path (``init_cfg`` with
``prefix='backbone.'``) loads a classifier-style checkpoint into the backbone."""
import copy

import pytest
import torch

from tests.configs.family import build_model, load, tiny

IN1K = ('https://download.openmmlab.com/mmdetection/v3.0/rtmdet/cspnext_rsb_pretrain/'
        'cspnext-m_8xb256-rsb-a1-600e_in1k-ecb3bbd9.pth')
FAMILIES = ['crowdpose', 'mpii', 'ap10k']


@pytest.mark.parametrize('family', FAMILIES)
def test_only_the_backbone_checkpoint_differs(family):
    variant, base = load(f'{family}/rtmpose-m_{family}-in1k.py'), load(f'{family}/rtmpose-m_{family}.py')
    assert variant.model.backbone.init_cfg == dict(type='Pretrained', prefix='backbone.', checkpoint=IN1K)
    expected = copy.deepcopy(base.to_dict())
    expected['model']['backbone']['init_cfg']['checkpoint'] = IN1K
    assert variant.to_dict() == expected


def test_a_backbone_checkpoint_seeds_the_backbone_through_init_cfg(tmp_path):
    # a classifier-style checkpoint (backbone.* and head.* keys) with random backbone weights: init_weights copies
    # the backbone.* tensors into the pose model's backbone
    cfg = tiny(load('crowdpose/rtmpose-m_crowdpose-in1k.py'))  # the tiny backbone, to stay cheap
    torch.manual_seed(1)
    donor = build_model(cfg)
    for p in donor.backbone.parameters():
        p.data.normal_()
    state = {f'backbone.{k}': v for k, v in donor.backbone.state_dict().items()}
    state['head.fc.weight'] = torch.zeros(1000, 384)
    torch.save(dict(state_dict=state), tmp_path / 'cspnext-m_in1k.pth')
    model = build_model(cfg, dict(cfg.model.backbone.init_cfg, checkpoint=str(tmp_path / 'cspnext-m_in1k.pth')))
    loaded = model.backbone.state_dict()
    assert all(torch.equal(loaded[key], value) for key, value in donor.backbone.state_dict().items())

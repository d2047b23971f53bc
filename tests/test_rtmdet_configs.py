"""The RTMDet person-detector configs hold the official person models' settings and build in mmdet's scope.

MMPose ships the official RTMPose project's person-detector configs in its wheel (``.mim/demo/mmdetection_cfg``):
they are the yardstick for the settings.
"""
from pathlib import Path

import mmpose
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from tests.paths import CONFIGS

REFERENCE = Path(mmpose.__file__).parent / '.mim' / 'demo' / 'mmdetection_cfg'
PAIRS = [('rtmdet-nano_person.py', 'rtmdet_nano_320-8xb32_coco-person.py'),
         ('rtmdet-m_person.py', 'rtmdet_m_640-8xb32_coco-person.py')]


def load(path: Path) -> Config:
    return Config.fromfile(str(path))


@pytest.mark.parametrize('ours, reference', PAIRS)
def test_settings_equal_the_official_person_configs(ours, reference):
    cfg, ref = load(CONFIGS / 'rtmdet' / ours), load(REFERENCE / reference)
    assert cfg.default_scope == 'mmdet' and cfg.model.bbox_head.num_classes == 1
    assert cfg.model.to_dict() == ref.model.to_dict()
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[loader].to_dict() == ref[loader].to_dict(), loader
    assert [dict(h) for h in cfg.custom_hooks] == [dict(h) for h in ref.custom_hooks]
    assert (cfg.train_cfg, cfg.optim_wrapper, cfg.param_scheduler) == (ref.train_cfg, ref.optim_wrapper,
                                                                        ref.param_scheduler)
    assert cfg.official_checkpoint.startswith('https://download.openmmlab.com/mmpose/v1/projects/rtmpose/rtmdet_')


def test_nano_builds_and_detects_at_320():
    from mmdet.registry import MODELS
    cfg = load(CONFIGS / 'rtmdet' / 'rtmdet-nano_person.py')
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MODELS.build(cfg.model).eval()
    params = sum(p.numel() for p in model.parameters())
    assert 0.9e6 < params < 1.1e6  # RTMDet-nano: about 0.99 M parameters
    with torch.no_grad():
        cls_scores, _ = model._forward(torch.zeros(1, 3, 320, 320))
    assert [tuple(c.shape) for c in cls_scores] == [(1, 1, 40, 40), (1, 1, 20, 20), (1, 1, 10, 10)]

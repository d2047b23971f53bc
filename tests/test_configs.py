"""Every config parses and is self-consistent: input size, codec, pipelines and hooks agree; recipe values hold."""
import pytest
from mmengine.config import Config

from tests.paths import CONFIGS

ALL = sorted(p.name for p in CONFIGS.glob('rtmpose-*.py'))


def load(name: str) -> Config:
    return Config.fromfile(str(CONFIGS / name))


def pipelines(cfg: Config) -> list[list[dict]]:
    switch = [h.switch_pipeline for h in cfg.custom_hooks if 'switch_pipeline' in h]
    return [cfg.train_dataloader.dataset.pipeline, cfg.val_dataloader.dataset.pipeline,
            cfg.test_dataloader.dataset.pipeline, *switch]


@pytest.mark.parametrize('name', ALL)
def test_config_is_consistent(name):
    cfg = load(name)
    assert cfg.default_scope == 'rtmpose' and 'rtmpose' in cfg.custom_imports.imports
    size = tuple(cfg.codec.input_size)
    head = cfg.model.head
    assert tuple(head.input_size) == size and dict(head.decoder) == dict(cfg.codec)
    assert tuple(head.in_featuremap_size) == (size[0] // 32, size[1] // 32)
    assert cfg.codec.sigma == ((4.9, 5.66) if size == (192, 256) else (6., 6.93))
    for pipeline in pipelines(cfg):
        for t in pipeline:
            if t['type'] == 'TopdownAffine':
                assert tuple(t['input_size']) == size
            if t['type'] == 'GenerateTarget':
                assert dict(t['encoder']) == dict(cfg.codec)
    assert cfg.model.test_cfg.flip_test
    assert cfg.val_evaluator.type == 'CocoMetric'


@pytest.mark.parametrize('name', ALL)
def test_recipe_values(name):
    cfg = load(name)
    arch = name.split('_')[0].split('-')[1]
    assert cfg.optim_wrapper.optimizer.type == 'AdamW' and cfg.optim_wrapper.optimizer.lr == 4e-3
    assert cfg.optim_wrapper.optimizer.weight_decay == (0. if arch in 'ts' else 0.05)
    assert cfg.optim_wrapper.paramwise_cfg.norm_decay_mult == 0 and cfg.optim_wrapper.paramwise_cfg.bias_decay_mult == 0
    warmup, cosine = cfg.param_scheduler
    assert warmup.type == 'LinearLR' and warmup.end == 1000 and not warmup.by_epoch
    assert cosine.type == 'CosineAnnealingLR' and (cosine.begin, cosine.end) == (210, 420)
    assert cosine.eta_min == pytest.approx(2e-4)
    hooks = {h.type: h for h in cfg.custom_hooks}
    assert ('EMAHook' in hooks) == (arch != 't')
    assert hooks['mmdet.PipelineSwitchHook'].switch_epoch == 390
    assert cfg.train_dataloader.batch_size == 256
    assert cfg.val_dataloader.dataset.bbox_file.endswith('COCO_val2017_detections_AP_H_56_person.json')
    expected_type = 'CombinedDataset' if 'aic-coco' in name else 'CocoDataset'
    assert cfg.train_dataloader.dataset.type == expected_type
    stage1 = cfg.train_dataloader.dataset.pipeline
    assert any(t['type'] == 'RandomBBoxTransform' and t['rotate_factor'] == 80 for t in stage1)
    assert backbone_url(cfg).startswith('https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/cspnext-')


def backbone_url(cfg: Config) -> str:
    return cfg.model.backbone.init_cfg.checkpoint

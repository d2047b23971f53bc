"""Every config parses and is self-consistent: input size, codec, pipelines and hooks agree; recipe values hold."""
import pytest
from mmengine.config import Config

from tests.paths import CONFIGS

ALL = sorted(p.name for p in CONFIGS.glob('rtmpose-*.py'))
ZOO = [name for name in ALL if 'demo' not in name]


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
    stride = 2**(cfg.model.backbone.out_indices[-1] + 1)
    assert tuple(head.in_featuremap_size) == (size[0] // stride, size[1] // stride)
    sigma = {(192, 256): (4.9, 5.66), (288, 384): (6., 6.93), (96, 128): (2.45, 2.83)}[size]  # sigma scales with size
    assert tuple(cfg.codec.sigma) == sigma
    for pipeline in pipelines(cfg):
        for t in pipeline:
            if t['type'] == 'TopdownAffine':
                assert tuple(t['input_size']) == size
            if t['type'] == 'GenerateTarget':
                assert dict(t['encoder']) == dict(cfg.codec)
    assert cfg.model.test_cfg.flip_test
    assert cfg.val_evaluator.type == 'CocoMetric'


@pytest.mark.parametrize('name', ZOO)
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


def test_demo_config_uses_the_generated_dataset_and_checkpoints_every_epoch():
    cfg = load('rtmpose-t_demo.py')
    for loader in (cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader):
        assert loader.dataset.type == 'DemoCocoDataset' and loader.dataset.data_root == 'data/demo/'
        assert loader.dataset.demo_cfg == dict(num_train=1500, num_val=200, seed=0)
    assert cfg.val_dataloader.dataset.bbox_file is None
    # augmentation drawn from per-epoch seeds (workers re-seeded every epoch, or EpochSeedHook in the main
    # process): a resumed run repeats an uninterrupted one bit-exactly
    assert not cfg.train_dataloader.persistent_workers
    assert cfg.train_dataloader.num_workers > 0 or 'EpochSeedHook' in [h['type'] for h in cfg.custom_hooks]
    assert cfg.default_hooks.checkpoint.interval == 1
    assert cfg.default_hooks.checkpoint.backend_args == dict(backend='atomic_local')
    assert cfg.model.backbone.init_cfg is None  # no download

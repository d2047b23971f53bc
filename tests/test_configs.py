"""Every config parses and is self-consistent: input size, codec, pipelines and hooks agree; recipe values hold.

The model, codec, optimizer, schedule and pipelines of each zoo config equal those of MMPose's official RTMPose config
(shipped in its wheel, ``.mim/configs/body_2d_keypoint/rtmpose/coco``); the config tree stays shallow and names files
that exist.
"""
import ast
from pathlib import Path

import mmpose
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope

from tests.paths import CONFIGS, REPO_ROOT

ALL = sorted(p.name for p in CONFIGS.glob('rtmpose-*.py'))
ZOO = [name for name in ALL if 'demo' not in name]
EVERY_FILE = sorted(str(p.relative_to(CONFIGS)) for p in CONFIGS.rglob('*.py'))
OFFICIAL = Path(mmpose.__file__).parent / '.mim' / 'configs'
OFFICIAL_RTMPOSE = OFFICIAL / 'body_2d_keypoint' / 'rtmpose' / 'coco'


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
    assert 'TrustedCheckpointHook' in [h['type'] for h in cfg.custom_hooks]  # official checkpoints load, torch >= 2.6


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


def base_files(path: Path) -> list[str]:
    """The ``_base_`` entries of a config file, as written (relative paths or ``package::path``)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '_base_' for t in node.targets):
            bases = ast.literal_eval(node.value)
            return [bases] if isinstance(bases, str) else list(bases)
    return []


def inheritance_depth(path: Path) -> int:
    """Inheritance steps on the longest ``_base_`` chain from ``path``; a step into an upstream config
    (``mmpose::``, ``mmdet::``) counts as one and its own bases are the upstream project's."""
    return max((1 if '::' in base else 1 + inheritance_depth(path.parent / base) for base in base_files(path)),
               default=0)


@pytest.mark.parametrize('name', EVERY_FILE)
def test_inheritance_is_at_most_three_steps_deep(name):
    # e.g. rtmpose-t_aic-coco.py -> rtmpose-t_coco.py -> _base_/rtmpose_coco.py -> mmpose::default_runtime.py
    assert inheritance_depth(CONFIGS / name) <= 3


def test_inheritance_depth_counts_steps():
    assert inheritance_depth(CONFIGS / '_base_' / 'rtmpose_coco.py') == 1
    assert inheritance_depth(CONFIGS / 'rtmpose-t_coco.py') == 2
    assert inheritance_depth(CONFIGS / 'rtmpose-t_aic-coco.py') == 3


def from_files(node) -> list[str]:
    """Every ``metainfo=dict(from_file=...)`` path in a config (as a dict)."""
    if isinstance(node, dict):
        own = [node['metainfo']['from_file']] if 'from_file' in node.get('metainfo', {}) else []
        return own + [f for value in node.values() for f in from_files(value)]
    if isinstance(node, (list, tuple)):
        return [f for value in node for f in from_files(value)]
    return []


def same_metainfo(a, b) -> bool:
    """Parsed metainfo equality: dicts, sequences and numpy arrays (dtype included)."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_metainfo(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_metainfo(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b)
    return a == b


@pytest.mark.parametrize('name', [name for name in EVERY_FILE if '_base_' not in name])
def test_metainfo_files_exist(name):
    # relative to the repository root, where mim runs
    assert all((REPO_ROOT / path).is_file() for path in from_files(load(name).to_dict()))


@pytest.mark.parametrize('name', [name for name in ALL if 'aic-coco' in name])
def test_aic_coco_training_set_has_mmpose_coco_metainfo(name, monkeypatch):
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    from mmpose.registry import DATASETS
    cfg = load(name)
    assert from_files(cfg.train_dataloader.dataset) == ['configs/_base_/datasets/coco.py']
    monkeypatch.chdir(REPO_ROOT)
    dataset = dict(cfg.train_dataloader.dataset, datasets=[])  # the CombinedDataset without its annotation files
    with DefaultScope.overwrite_default_scope('mmpose'):
        combined = DATASETS.build(dataset)
    coco = parse_pose_metainfo(dict(from_file=str(OFFICIAL / '_base_' / 'datasets' / 'coco.py')))
    assert type(combined).__name__ == 'CombinedDataset' and same_metainfo(combined.metainfo, coco)


def official_name(name: str) -> str:
    """MMPose's config for ``rtmpose-{arch}_{data}[-384x288].py``. MMPose has no COCO-only 384x288 configs: the
    AIC+COCO one has the same model and pipelines."""
    arch, data = name.removesuffix('.py').removesuffix('-384x288').split('_')
    size = '384x288' if '384x288' in name else '256x192'
    return f"{arch}_8xb256-420e_{'aic-coco' if size == '384x288' else data}-{size}.py"


@pytest.mark.parametrize('name', ZOO)
def test_model_and_recipe_equal_the_official_config(name):
    ours, official = load(name), Config.fromfile(str(OFFICIAL_RTMPOSE / official_name(name)))
    for key in ('model', 'codec', 'optim_wrapper', 'param_scheduler', 'auto_scale_lr', 'train_cfg', 'train_pipeline',
                'train_pipeline_stage2', 'val_pipeline'):
        assert ours[key] == official[key], key
    assert ours.train_dataloader.dataset.pipeline == official.train_pipeline
    assert ours.train_dataloader.batch_size == official.train_dataloader.batch_size
    assert ours.val_dataloader.batch_size == official.val_dataloader.batch_size


def test_one_variable_moves_every_coco_path(monkeypatch):
    """`COCO_ROOT=/data/coco/ mim test ...`: data roots, the detection boxes and the evaluator's annotation file all
    follow (a --cfg-options data_root override alone leaves the last two behind)."""
    monkeypatch.setenv('COCO_ROOT', '/elsewhere/coco/')
    monkeypatch.setenv('AIC_ROOT', '/elsewhere/aic/')
    cfg = load('rtmpose-m_aic-coco.py')
    test = cfg.test_dataloader.dataset
    assert test.data_root == '/elsewhere/coco/' and test.bbox_file.startswith('/elsewhere/coco/')
    assert cfg.val_evaluator.ann_file.startswith('/elsewhere/coco/')
    assert cfg.test_evaluator.ann_file.startswith('/elsewhere/coco/')
    roots = [d.get('data_root') or d.dataset.data_root for d in cfg.train_dataloader.dataset.datasets]
    assert roots == ['/elsewhere/coco/', '/elsewhere/aic/']

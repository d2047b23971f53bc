"""Every config parses and is self-consistent: input size, codec, pipelines and hooks agree; recipe values hold.

The model, codec, optimizer, schedule and pipelines of each zoo config equal those of MMPose's official RTMPose config
(shipped in its wheel, ``.mim/configs/body_2d_keypoint/rtmpose/coco``); the config tree stays shallow and names files
that exist. Every model size of the size table (``configs/_base_/model_sizes.py``) has its COCO config, every config
of a size takes that size's row, and the table's checkpoints are the model zoo's where both name a model. A codec
changed after parsing (``--cfg-options codec.input_size=...``) stops the run instead of being silently ignored.
"""
import ast
import re
from pathlib import Path

import mmpose
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from rtmpose.engine.hooks.codec_check_hook import CodecOverrideError, check_codec_in_use, codec_copies
from rtmpose.hub.model_zoo import MODELS
from tests.configs.family import model_sizes, size_of
from tests.paths import CONFIGS, REPO_ROOT

ALL = sorted(p.name for p in CONFIGS.glob('rtmpose-*.py'))
ZOO = [name for name in ALL if 'demo' not in name]
EVERY_FILE = sorted(str(p.relative_to(CONFIGS)) for p in CONFIGS.rglob('*.py'))
OFFICIAL = Path(mmpose.__file__).parent / '.mim' / 'configs'
OFFICIAL_RTMPOSE = OFFICIAL / 'body_2d_keypoint' / 'rtmpose' / 'coco'
SIZES = model_sizes()


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
    check_codec_in_use(cfg)  # the head's decoder and input size, every TopdownAffine and GenerateTarget
    copies = [where for where, _, _ in codec_copies(cfg)]
    assert {'model.head.decoder.input_size', 'model.head.input_size'} <= set(copies)
    assert sum(where.endswith('encoder.input_size') for where in copies) == 2  # stage 1 and 2
    assert sum('pipeline' in where and where.endswith('.input_size') for where in copies) == 6  # and 4 crops
    stride = 2**(cfg.model.backbone.out_indices[-1] + 1)
    assert tuple(cfg.model.head.in_featuremap_size) == (size[0] // stride, size[1] // stride)
    sigma = {(192, 256): (4.9, 5.66), (288, 384): (6., 6.93), (96, 128): (2.45, 2.83)}[size]  # sigma scales with size
    assert tuple(cfg.codec.sigma) == sigma
    assert cfg.model.test_cfg.flip_test
    assert cfg.val_evaluator.type == 'CocoMetric'
    hooks = [h['type'] for h in cfg.custom_hooks]
    assert 'TrustedCheckpointHook' in hooks  # official checkpoints load, torch >= 2.6
    assert 'CodecCheckHook' in hooks  # a codec override that would not take effect stops the run


@pytest.mark.parametrize('name', ZOO)
def test_recipe_values(name):
    # the sizes' differences (t and s without weight decay, t without EMA) are MMPose's: compared with its configs in
    # test_model_and_recipe_equal_the_official_config
    cfg = load(name)
    assert cfg.optim_wrapper.optimizer.type == 'AdamW' and cfg.optim_wrapper.optimizer.lr == 4e-3
    assert cfg.optim_wrapper.paramwise_cfg.norm_decay_mult == 0 and cfg.optim_wrapper.paramwise_cfg.bias_decay_mult == 0
    warmup, cosine = cfg.param_scheduler
    assert warmup.type == 'LinearLR' and warmup.end == 1000 and not warmup.by_epoch
    assert cosine.type == 'CosineAnnealingLR' and (cosine.begin, cosine.end) == (210, 420)
    assert cosine.eta_min == pytest.approx(2e-4)
    hooks = {h.type: h for h in cfg.custom_hooks}
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
        assert loader.dataset.type == 'DemoCocoDataset'
        assert loader.dataset.data_root == 'data/demo/seed0_train1500_val200/'  # a folder of its own per demo_cfg
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
    path = OFFICIAL_RTMPOSE / official_name(name)
    if not path.is_file():
        pytest.skip(f'MMPose ships no config for {name} ({path.name}): its size is checked against the size table')
    ours, official = load(name), Config.fromfile(str(path))
    for key in ('model', 'codec', 'optim_wrapper', 'param_scheduler', 'auto_scale_lr', 'train_cfg', 'train_pipeline',
                'train_pipeline_stage2', 'val_pipeline'):
        assert ours[key] == official[key], key
    ema = [[h['type'] for h in cfg.custom_hooks].count('EMAHook') for cfg in (ours, official)]
    assert ema[0] == ema[1]
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


@pytest.mark.parametrize('size', sorted(SIZES))
def test_every_size_has_its_coco_config(size):
    assert [*CONFIGS.glob(f'rtmpose-{size}_coco*.py'), *CONFIGS.glob(f'coco/rtmpose-{size}_coco*.py')]


@pytest.mark.parametrize('size', sorted(SIZES))
def test_the_head_takes_the_width_of_the_backbones_last_stage(size):
    from mmdet.registry import MODELS as MMDET_MODELS
    row = SIZES[size]
    with DefaultScope.overwrite_default_scope('mmdet'):
        backbone = MMDET_MODELS.build(dict(type='CSPNeXt', arch='P5', expand_ratio=0.5, out_indices=(4, ),
                                           channel_attention=True, **row.backbone))
    backbone.eval()  # (mmdet's CSPNeXt.train returns None: no chaining)
    with torch.no_grad():
        features, = backbone(torch.zeros(1, 3, 64, 64))
    assert features.shape[1] == row.head.in_channels


@pytest.mark.parametrize('name', [name for name in EVERY_FILE
                                  if '_base_' not in name and Path(name).name.startswith(('rtmpose-', 'cspnext-'))])
def test_every_config_of_a_size_takes_its_row(name):
    cfg, row = load(name), SIZES[size_of(name)]
    backbone = cfg.model.backbone
    assert {key: backbone[key] for key in row.backbone} == row.backbone
    if tuple(backbone.out_indices) == (4, ):  # the last stage's width (the demo reads the stage before)
        assert cfg.model.head.in_channels == row.head.in_channels
    if backbone.init_cfg is not None:  # (the demo trains from scratch)
        assert Path(backbone.init_cfg.checkpoint).name in {Path(url).name for url in row.checkpoints.values()}


def model_id(url: str) -> str:
    """The model a release file holds: its name without the hash, the dates and the suffix (``rtmpose-m_simcc-body7_pt-
    body7_420e-256x192`` of ``.../rtmpose-m_simcc-body7_pt-body7_420e-256x192-e48f03d0_20230504.pth``)."""
    stem, previous = Path(url).stem, None
    while stem != previous:
        previous, stem = stem, re.sub(r'[-_](?:[0-9a-f]{7,8}|\d{6}|\d{8})$', '', stem)
    return stem


def test_model_id_drops_hash_and_dates():
    assert model_id('https://x/rtmdet_m_8xb32-300e_coco_20220719_112220-229f527c.pth') == 'rtmdet_m_8xb32-300e_coco'
    assert model_id('https://x/onnx_sdk/rtmpose-m_simcc-hand5_pt-aic-coco_210e-256x256-74fb594_20230320.zip') == \
        'rtmpose-m_simcc-hand5_pt-aic-coco_210e-256x256'


def test_the_model_zoo_names_the_configs_files():
    # the zoo (projects/rtmpose/hub/model_zoo.py) serves the light install and cannot read configs: where it and the
    # configs (the size table, the detectors' official_checkpoint) name the same model, they name the same file
    ours = [url for row in SIZES.values() for url in row.checkpoints.values()]
    ours += [load(str(Path('rtmdet') / p.name)).official_checkpoint for p in (CONFIGS / 'rtmdet').glob('*.py')]
    by_model = {model_id(url): url for url in ours}
    shared = 0
    for entry in MODELS.values():
        for url in (entry.sdk_zip, entry.checkpoint):
            if url and model_id(url) in by_model:
                shared += 1
                mine = by_model[model_id(url)]
                assert Path(url).stem == Path(mine).stem, (entry.name, url, mine)
                assert url == mine or Path(url).suffix != Path(mine).suffix, (entry.name, url, mine)
    # the SDK zips of RTMPose-s/m/l trained on Body7 (256x192, m/l at 384x288: the body8 configs' checkpoints), the
    # .pth of the 4 detectors and the SDK zips of 3 of them
    assert shared >= 12


def test_a_codec_override_is_refused_naming_the_copies_that_run():
    cfg = load('rtmpose-m_coco.py')
    cfg.merge_from_dict({'codec.input_size': (288, 384)})  # what --cfg-options "codec.input_size=(288,384)" does
    # the dumped config shows the override; the model and the crops, copies made when the config was parsed, do not
    assert cfg.codec.input_size == (288, 384) and tuple(cfg.model.head.input_size) == (192, 256)
    with pytest.raises(CodecOverrideError, match=r'model\.head\.input_size is \[192, 256\] \(codec: \[288, 384\]\)'
                                                 r'.*Override the copies that run instead') as error:
        check_codec_in_use(cfg)
    listed = str(error.value).split(': ', 1)[1].split('. The codec')[0]
    switch = next(i for i, hook in enumerate(cfg.custom_hooks) if 'switch_pipeline' in hook)
    stage1, stage2 = 'train_dataloader.dataset.pipeline', f'custom_hooks.{switch}.switch_pipeline'
    assert [part.split(' is ')[0] for part in listed.split('; ')] == [
        'model.head.decoder.input_size', 'model.head.input_size', f'{stage1}.5.input_size',
        f'{stage1}.8.encoder.input_size', 'val_dataloader.dataset.pipeline.2.input_size',
        'test_dataloader.dataset.pipeline.2.input_size', f'{stage2}.5.input_size', f'{stage2}.8.encoder.input_size']


def test_a_run_with_a_codec_override_stops_before_it_starts(tmp_path):
    cfg = load('rtmpose-t_demo.py')
    cfg.merge_from_dict({'codec.sigma': (3., 3.)})
    cfg.work_dir = str(tmp_path)
    runner = Runner.from_cfg(cfg)
    with pytest.raises(CodecOverrideError, match=r'decoder\.sigma is \[2\.45, 2\.83\] \(codec: \[3\.0, 3\.0\]\)'):
        runner.call_hook('before_run')  # the first thing runner.train() and runner.test() do once the loops are built

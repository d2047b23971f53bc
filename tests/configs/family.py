"""What every family's config test needs: the official configs in MMPose's wheel, the comparison with one of them,
a training step and a flip-test prediction of a family's model, and the fixture data of ``../shared``."""
import contextlib
import copy
import functools
from collections.abc import Iterator
from pathlib import Path

import mmpose
import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.dataset import pseudo_collate
from mmengine.model import revert_sync_batchnorm
from mmengine.structures import InstanceData, PixelData
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.registry import DATASETS, KEYPOINT_CODECS, METRICS, MODELS
from mmpose.structures import PoseDataSample

from rtmpose import registry as rtmpose_registry
from rtmpose.testing.reference import scope
from tests.conftest import require_shared
from tests.paths import CONFIGS, REPO_ROOT

OFFICIAL = Path(mmpose.__file__).parent / '.mim' / 'configs'
#: The sections a run is made of; each is compared whole with the official config's.
SECTIONS = ('model', 'codec', 'optim_wrapper', 'param_scheduler', 'auto_scale_lr', 'train_cfg', 'val_cfg', 'test_cfg',
            'randomness', 'train_dataloader', 'val_dataloader', 'test_dataloader', 'val_evaluator', 'test_evaluator',
            'default_hooks', 'custom_hooks', 'env_cfg', 'log_processor', 'load_from', 'resume')


def load(name: str) -> Config:
    return Config.fromfile(str(CONFIGS / name))


def official(relative: str) -> Config:
    """An official config of the installed MMPose wheel (``.mim/configs/<relative>``)."""
    return Config.fromfile(str(OFFICIAL / relative))


def model_sizes() -> ConfigDict:
    """The table of model sizes every config reads (``configs/_base_/model_sizes.py``): size -> backbone factors,
    head width and official checkpoints."""
    return Config.fromfile(str(CONFIGS / '_base_' / 'model_sizes.py')).model_sizes


def size_of(name: str) -> str:
    """The model size a config's file name states: ``rtmpose-<size>_...``, or ``cspnext-<name>_...`` whose first
    letter it is (``tiny``: ``t``)."""
    return Path(name).name.split('_')[0].split('-')[1][0]


def our_configs(pattern: str) -> list[str]:
    """Our configs matching the glob ``pattern`` under ``configs/`` (paths relative to it)."""
    return sorted(str(path.relative_to(CONFIGS)) for path in CONFIGS.glob(pattern))


def official_twin(name: str, wheel_dir: str) -> str | None:
    """The official config in ``wheel_dir`` of our ``<dir>/<model>_<data>[-<res>].py``: MMPose's
    ``<model>_<gpus>xb<batch>-<epochs>e_<data>-<res>.py`` with ``<res>`` the config's input size (height x width);
    ``None`` where the wheel has none."""
    model, data = Path(name).stem.split('_', 1)
    width, height = load(name).codec.input_size
    res = f'{height}x{width}'
    found = sorted((OFFICIAL / wheel_dir).glob(f"{model}_*_{data.removesuffix('-' + res)}-{res}.py"))
    assert len(found) <= 1, found
    return str(found[0].relative_to(OFFICIAL)) if found else None


@functools.cache
def our_additions() -> tuple[frozenset, dict]:
    """What every config of ours adds to MMPose's, read off our COCO base config against MMPose's COCO config: the
    custom hooks (loading official checkpoints under torch >= 2.6, the run's checks, the training-curve picture) and
    the checkpoint hook's settings (atomic writes)."""
    ours = Config.fromfile(str(CONFIGS / '_base_' / 'rtmpose_coco.py'))
    theirs = official('body_2d_keypoint/rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py')
    hooks = frozenset(h['type'] for h in ours.custom_hooks) - {h['type'] for h in theirs.custom_hooks}
    checkpoint = {k: v for k, v in without_mmpose_scope(ours.default_hooks.checkpoint.to_dict()).items()
                  if theirs.default_hooks.checkpoint.get(k) != v}
    return hooks, checkpoint


def set_path(tree: dict, path: str, value) -> None:
    """Set ``tree[a][b][c] = value`` for ``path`` ``'a.b.c'`` (list items by index)."""
    *parents, last = path.split('.')
    for key in parents:
        tree = tree[int(key)] if isinstance(tree, list) else tree[key]
    if isinstance(tree, list):
        tree[int(last)] = value
    else:
        tree[last] = value


def without_mmpose_scope(node):
    """``node`` without the ``_scope_='mmpose'`` marks mmengine puts on what a config inherits through ``mmpose::``
    (the same classes the official config builds)."""
    if isinstance(node, dict):
        return {k: without_mmpose_scope(v) for k, v in node.items() if not (k == '_scope_' and v == 'mmpose')}
    if isinstance(node, (list, tuple)):
        return type(node)(without_mmpose_scope(v) for v in node)
    return node


def without_our_additions(cfg: dict) -> dict:
    """``cfg`` less the additions every config of ours makes (:func:`our_additions`)."""
    cfg = without_mmpose_scope(copy.deepcopy(cfg))
    hooks, checkpoint = our_additions()
    cfg['custom_hooks'] = [h for h in cfg['custom_hooks'] if h['type'] not in hooks]
    for key in checkpoint:
        cfg['default_hooks']['checkpoint'].pop(key)
    return cfg


def assert_equals_official(ours: Config, reference: Config, differences: dict | None = None) -> None:
    """Every section of ``ours`` equals the official ``reference`` once our family-wide additions are removed and the
    intended ``differences`` (dotted path -> our value) are applied to the reference."""
    mine, theirs = without_our_additions(ours.to_dict()), without_mmpose_scope(reference.to_dict())
    for key in our_additions()[1]:  # keys our checkpoint hook sets that MMPose's leaves to the default runtime
        theirs['default_hooks']['checkpoint'].pop(key, None)
    assert ours.default_scope == 'rtmpose' and 'TrustedCheckpointHook' in [h['type'] for h in ours.custom_hooks]
    assert ours.default_hooks.checkpoint.backend_args == dict(backend='atomic_local')
    for path, value in (differences or {}).items():
        set_path(theirs, path, value)
    for section in SECTIONS:
        assert mine.get(section) == theirs.get(section), (section, first_difference(mine.get(section),
                                                                                      theirs.get(section)))


def first_difference(a, b, path: str = '') -> str:
    """Where ``a`` and ``b`` first differ, as ``path: a != b``."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key, '<absent>') != b.get(key, '<absent>'):
                return first_difference(a.get(key, '<absent>'), b.get(key, '<absent>'), f'{path}.{key}')
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f'{path}.{i}')
    return f'{path}: {a!r} != {b!r}'[:400]


def flip_indices_of(cfg: Config) -> list[int]:
    """The ``flip_indices`` of the keypoint metainfo the config's test set uses."""
    dataset = cfg.test_dataloader.dataset
    if 'metainfo' in dataset:
        return parse_pose_metainfo(dict(from_file=str(REPO_ROOT / dataset.metainfo.from_file)))['flip_indices']
    return parse_pose_metainfo(rtmpose_registry.DATASETS.get(dataset.type).METAINFO)['flip_indices']


def build_model(cfg: Config, backbone_init: dict | None = None) -> torch.nn.Module:
    """The config's model in the ``rtmpose`` scope, SyncBN as BN, initialised with the backbone's ``init_cfg``
    replaced by ``backbone_init`` (default none: no pretrained-backbone download)."""
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.backbone.init_cfg = backbone_init
    with scope('rtmpose'):
        model = revert_sync_batchnorm(MODELS.build(model_cfg))
    model.init_weights()
    return model


def training_samples(cfg: Config, n: int, rng: np.random.Generator) -> list[PoseDataSample]:
    """``n`` training samples with targets of random in-crop keypoints, encoded by the config's codec."""
    with scope('rtmpose'):
        codec = KEYPOINT_CODECS.build(cfg.codec)
    w, h = cfg.codec.input_size
    k = cfg.model.head.out_channels
    samples = []
    for _ in range(n):
        encoded = codec.encode(rng.uniform([4, 4], [w - 4, h - 4], size=(1, k, 2)),
                               (rng.uniform(size=(1, k)) > 0.2).astype(np.float32))
        sample = PoseDataSample(metainfo=dict(input_size=(w, h)))
        if 'heatmaps' in encoded:  # heatmap codecs (UDP pretraining): the target is an image-like field
            sample.gt_fields = PixelData(heatmaps=torch.from_numpy(encoded.pop('heatmaps')))
        sample.gt_instance_labels = InstanceData(**{key: torch.from_numpy(v) for key, v in encoded.items()})
        samples.append(sample)
    return samples


def predict_samples(cfg: Config, n: int) -> list[PoseDataSample]:
    """``n`` test samples (one box each) carrying the config's flip indices."""
    w, h = cfg.codec.input_size
    samples = []
    for i in range(n):
        sample = PoseDataSample(metainfo=dict(flip_indices=flip_indices_of(cfg), input_size=(w, h), id=i, img_id=i,
                                              input_center=np.array([200., 200.]), input_scale=np.array([w, h]) * 2.))
        sample.gt_instances = InstanceData(bboxes=np.array([[100., 100., 300., 300.]]), bbox_scores=np.ones(1))
        samples.append(sample)
    return samples


#: RTMPose-t's size: the backbone the model checks run on, to stay cheap (the family's head, codec, input size and
#: flip indices are the config's; every backbone size is checked against MMPose in tests/models)
TINY = model_sizes().t


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Torch on one thread inside the block: the tiny models run several times cheaper than on two contended ones."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def tiny(cfg: Config) -> Config:
    """A copy of ``cfg`` whose model has the tiny backbone and head width (:data:`TINY`)."""
    cfg = copy.deepcopy(cfg)
    cfg.model.backbone.update(TINY.backbone)
    cfg.model.head.update(TINY.head)
    return cfg


def check_train_step_and_flip_predict(cfg: Config, seed: int = 0) -> torch.nn.Module:
    """One loss forward/backward on an image and a flip-test prediction of the config's model (on the tiny backbone)
    give finite values of the config's keypoint count, and flip test reads the metainfo's flip indices. Returns the
    model after the step."""
    with one_thread():
        return _train_step_and_flip_predict(tiny(cfg), seed)


def _train_step_and_flip_predict(cfg: Config, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    model = build_model(cfg)
    w, h = cfg.codec.input_size
    k = cfg.model.head.out_channels
    inputs = torch.randn(1, 3, h, w)
    losses = model.loss(inputs, training_samples(cfg, 1, np.random.default_rng(seed)))
    sum(v for key, v in losses.items() if key.startswith('loss')).backward()
    grads = [p.grad for p in model.head.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)
    model.eval()
    assert model.test_cfg['flip_test']
    with torch.no_grad():
        preds = model.predict(inputs, predict_samples(cfg, 1))
    assert preds[0].pred_instances.keypoints.shape == (1, k, 2)
    assert np.isfinite(preds[0].pred_instances.keypoints).all()
    flip = flip_indices_of(cfg)
    assert sorted(flip) == list(range(k)) and all(flip[flip[i]] == i for i in range(k))
    return model


def fixture_test_set(cfg: Config, root: Path, ann_file: str, bbox_file: str | None = None) -> tuple:
    """(dataset, metric) of the config's test set and evaluator pointed at the fixture ``root / ann_file`` (a list of
    metrics where the evaluator is one)."""
    dataset_cfg = copy.deepcopy(cfg.test_dataloader.dataset)
    dataset_cfg.update(data_root=f'{root}/', ann_file=ann_file, data_prefix=dict(img=''),
                       bbox_file=bbox_file and str(root / bbox_file))
    metric_cfgs = copy.deepcopy(cfg.test_evaluator)
    metric_cfgs = metric_cfgs if isinstance(metric_cfgs, list) else [metric_cfgs]
    for metric_cfg in metric_cfgs:
        if 'ann_file' in metric_cfg:
            metric_cfg.ann_file = str(root / ann_file)
    with scope('rtmpose'):
        dataset = DATASETS.build(dataset_cfg)
        metrics = [METRICS.build(metric_cfg) for metric_cfg in metric_cfgs]
    for metric in metrics:
        metric.dataset_meta = dataset.metainfo
    return dataset, metrics if isinstance(cfg.test_evaluator, list) else metrics[0]


def shared_fixture(cfg: Config, shared_dir: Path, relative: str) -> tuple:
    """(fixture root, test samples through the pipeline, ground-truth keypoints) of the config's test set on the
    fixture ``shared_dir / 'data' / relative``; skips when it is absent."""
    path = require_shared(shared_dir, f'data/{relative}')
    dataset, _ = fixture_test_set(cfg, path.parent, path.name)
    return path.parent, packed_samples(dataset), ground_truth(dataset)


def fixture_members(datasets: list[dict], fixtures: dict[str, str], shared_dir: Path) -> list[dict]:
    """The member sets of a CombinedDataset that have a fixture (type -> file under ``shared_dir / 'data'``), each
    pointed at it."""
    members = []
    for member in copy.deepcopy(datasets):
        if member['type'] in fixtures:
            path = require_shared(shared_dir, f"data/{fixtures[member['type']]}")
            member.update(data_root=f'{path.parent}/', ann_file=path.name, data_prefix=dict(img=''))
            members.append(member)
    return members


def packed_samples(dataset) -> list[dict]:
    """Every test sample of ``dataset`` through its pipeline, as the dicts a metric's ``process`` takes."""
    return [pseudo_collate([dataset[i]])['data_samples'][0].to_dict() for i in range(len(dataset))]


def evaluate(metric, samples: list[dict], keypoints: list[np.ndarray], scores: list[float] | None = None) -> dict:
    """``metric`` (or a list of metrics, results merged) on ``samples`` predicted as ``keypoints[i]`` ``(K, 2)``
    with every keypoint score ``scores[i]`` (default 1)."""
    if isinstance(metric, list):
        return {key: value for m in metric for key, value in evaluate(m, samples, keypoints, scores).items()}
    scores = [1.] * len(samples) if scores is None else scores
    records = []
    for sample, kpts, score in zip(samples, keypoints, scores):
        k = len(kpts)
        records.append(dict(sample, pred_instances=dict(
            keypoints=np.asarray(kpts, np.float32)[None], keypoint_scores=np.full((1, k), score, np.float32),
            bbox_scores=np.ones(1, np.float32))))
    metric.process([], records)
    return metric.evaluate(len(records))


def ground_truth(dataset, offset: float = 0.) -> list[np.ndarray]:
    """The ground-truth keypoints ``(K, 2)`` of every test instance of ``dataset`` (plus ``offset`` pixels)."""
    return [dataset.get_data_info(i)['keypoints'][0] + offset for i in range(len(dataset))]


def oks_moved(dataset, oks: float = 0.725, use_area: bool = True) -> list[np.ndarray]:
    """The ground-truth keypoints ``(K, 2)`` of every test instance, each moved right by the distance that gives it
    the keypoint similarity ``oks``: COCO's ``exp(-d^2 / (2 * area * (2 * sigma)^2))`` with the keypoint's sigma and
    the instance's area (0.53 x its box area where the metric has ``use_area=False``, as xtcocotools' OKS takes it),
    so every instance has OKS ``oks``.
    With 0.725 it is matched at the IoU thresholds 0.5 to 0.7 and missed at 0.75 to 0.95: AP = AR = 5 / 10."""
    variances = (2 * np.asarray(dataset.metainfo['sigmas'])) ** 2
    moved = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        x1, y1, x2, y2 = info['bbox'][0]
        area = float(np.asarray(info['area']).ravel()[0]) if use_area else (x2 - x1) * (y2 - y1) * 0.53
        kpts = info['keypoints'][0].copy()
        kpts[:, 0] += np.sqrt(-2 * np.log(oks) * variances * area)
        moved.append(kpts)
    return moved

"""Which keypoint set a source names: the one resolver of the model builders, the tracker, the pipeline metric and the
tools. A name is a metainfo file of this repository's ``configs/_base_/datasets``, else of MMPose's, else of this
package's copies (``metainfo/sets``; or an alias of :data:`ALIASES`); a metainfo file, a model config or an MMDeploy
SDK folder is read for its set. Names, metainfo files and SDK folders are read as files; only a model config needs
mmengine (and its dataset class MMPose), so an SDK folder goes through the model config it names only when that file
is here and mmengine is installed."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from .files import (
    REPO_CONFIG_DIR,
    find_metainfo_file,
    metainfo_dirs,
    metainfo_names,
    mmpose_config_dir,
    read_dataset_info,
)
from .keypoint_set import COCO17, KeypointSet
from .parse import keypoint_set_from_info

#: Other names of metainfo files: short ones, and the mixed training sets whose models predict that set (also
#: read in the config names of MMDeploy SDK folders, as ``body8`` in ``rtmpose-m_8xb256-420e_body8-256x192``).
ALIASES = {'body': 'coco', 'human': 'coco', 'coco17': 'coco', 'body7': 'coco', 'body8': 'coco',
           'wholebody': 'coco_wholebody', 'cocktail14': 'coco_wholebody', 'hand': 'coco_wholebody_hand',
           'face': 'lapa', 'face6': 'lapa', 'animal': 'ap10k', 'body26': 'halpe26'}
#: The set of a model that carries none, by its keypoint count.
DEFAULT_SETS = {17: 'coco', 133: 'coco_wholebody'}
Source = KeypointSet | str | Path


def load_keypoint_set(source: Source, num_keypoints: int | None = None) -> KeypointSet:
    """The keypoint set named or described by ``source``.

    Args:
        source: a :class:`KeypointSet`; a name (``'coco'``, ``'coco_wholebody'``, ``'halpe26'``, ``'ap10k'``...:
            a metainfo file of this repository's ``configs/_base_/datasets``, else of MMPose's, else of this
            package's ``metainfo/sets``, or an alias of :data:`ALIASES`); a metainfo ``.py`` file; a model config
            ``.py`` (its dataset metainfo); an MMDeploy SDK folder.
        num_keypoints: the model's ``K``; checked against the set (and used to tell sets apart in an SDK folder
            whose config file is not here).

    Raises:
        ValueError: an unknown name, a source without keypoint metadata, a metainfo that is wrong (the message
            names the file, the problem and the fix), or a set of another ``K``.
    """
    if isinstance(source, KeypointSet):
        kset = source
    else:
        path = Path(str(source)).expanduser()
        if path.is_dir():
            kset = keypoint_set_from_sdk(path, num_keypoints)
        elif path.suffix == '.py' and path.is_file():
            kset = _from_python_file(path)
        elif path.suffix or '/' in str(source):
            raise ValueError(f'keypoint metadata {str(source)!r} not found: pass a dataset name ({_some_names()}), '
                             f'an MMPose metainfo .py file, a model config .py or an MMDeploy SDK folder')
        else:
            kset = _from_name(str(source))
    if num_keypoints is not None and kset.num_keypoints != num_keypoints:
        raise ValueError(f'the model predicts {num_keypoints} keypoints but {kset.name!r} has {kset.num_keypoints} '
                         f'keypoints; pass the metainfo of the dataset the model was trained on')
    return kset


def resolve_keypoint_set(source: Source | None, num_keypoints: int,
                         option: str = 'build_pose_model(..., metainfo=)') -> KeypointSet:
    """:func:`load_keypoint_set` of ``source``; without one, the set of :data:`DEFAULT_SETS` for ``num_keypoints``.

    Raises:
        ValueError: as :func:`load_keypoint_set`, or no ``source`` for a ``K`` without a default (the message says
            to pass ``option``).
    """
    if source is not None:
        return load_keypoint_set(source, num_keypoints)
    if num_keypoints in DEFAULT_SETS:
        return load_keypoint_set(DEFAULT_SETS[num_keypoints], num_keypoints)
    raise ValueError(f'the pose model predicts {num_keypoints} keypoints and carries no keypoint metadata: pass '
                     f'{option} a dataset name ({_some_names()}) or the metainfo file the model was trained with '
                     f'(configs/_base_/datasets/*.py), or build the model from its MMDeploy SDK folder or config')


def _some_names() -> str:
    return "e.g. 'coco', 'coco_wholebody', 'halpe26', 'coco_wholebody_hand', 'lapa', 'ap10k', 'crowdpose', 'mpii'"


def _from_name(name: str) -> KeypointSet:
    key = ALIASES.get(name.lower(), name.lower()).replace('-', '_')
    if key == 'coco':
        return COCO17
    path = find_metainfo_file(key)
    if path is None:
        folders = ', '.join(str(folder) for folder in metainfo_dirs())
        mmpose = '' if mmpose_config_dir() else '; MMPose (pip install mmpose) has many more'
        raise ValueError(f'unknown keypoint set {name!r}: no {key}.py in {folders}{mmpose}; pass a dataset name '
                         f'({_some_names()}) or the path of an MMPose metainfo file')
    return keypoint_set_from_info(read_dataset_info(path) or {}, str(path))


def _from_python_file(path: Path) -> KeypointSet:
    """A metainfo file (``dataset_info = dict(...)``), else a model config (see :func:`keypoint_set_from_config`)."""
    info = read_dataset_info(path)
    if info is not None:
        return keypoint_set_from_info(info, str(path))
    if importlib.util.find_spec('mmengine') is None:
        raise ValueError(f'{path} is a model config, whose keypoint set only mmengine reads (pip install mmengine); '
                         f'or pass the keypoint set by name or as a metainfo file')
    from mmengine.config import Config

    return keypoint_set_from_config(Config.fromfile(str(path)), str(path))


def keypoint_set_from_config(cfg: Any, source: str = 'the config') -> KeypointSet:
    """The keypoint set of an mmengine ``Config`` of an MMPose model: its ``dataset_info``, else the metainfo of its
    test (else val, train) dataset (``metainfo=dict(from_file=...)``, else the dataset class's ``METAINFO``)."""
    if isinstance(cfg.get('dataset_info'), dict):
        return keypoint_set_from_info(cfg['dataset_info'], source)
    for split in ('test_dataloader', 'val_dataloader', 'train_dataloader'):
        dataset = (cfg.get(split) or {}).get('dataset') or {}
        dataset = dataset.get('dataset', dataset)  # RepeatDataset / CombinedDataset wrappers keep it inside
        meta = dataset.get('metainfo')
        if isinstance(meta, dict) and meta.get('from_file'):
            return _from_metainfo_file(meta['from_file'])
        if isinstance(meta, dict) and 'keypoint_info' in meta:
            return keypoint_set_from_info(meta, source)
        if dataset.get('type'):
            return _dataset_class_metainfo(str(dataset['type']), source)
    raise ValueError(f'{source} names no dataset metainfo (no dataset_info, no test/train dataset); pass the '
                     f'keypoint set by name ({_some_names()}) or as a metainfo file')


def _from_metainfo_file(from_file: str) -> KeypointSet:
    """``metainfo=dict(from_file=...)``: the path as written, else under this repository (configs name their
    metainfo from its root), else by file name in :func:`~.files.metainfo_dirs` (as MMPose looks in its own)."""
    for path in (Path(from_file), REPO_CONFIG_DIR.parent / from_file, find_metainfo_file(Path(from_file).stem)):
        if path is not None and path.is_file():
            return load_keypoint_set(path)
    raise ValueError(f'the metainfo file {from_file} is not there, nor a {Path(from_file).name} in '
                     f'{", ".join(str(folder) for folder in metainfo_dirs())}: fix metainfo=dict(from_file=...)')


def _dataset_class_metainfo(dataset_type: str, source: str) -> KeypointSet:
    from ..registry import DATASETS  # ours, falling through to MMPose's

    cls = DATASETS.get(dataset_type)
    meta = getattr(cls, 'METAINFO', None) if cls is not None else None
    if not meta or 'from_file' not in meta:
        raise ValueError(f'{source}: the dataset {dataset_type!r} declares no metainfo file; set '
                         f'metainfo=dict(from_file=...) in the config or pass the keypoint set by name')
    return _from_metainfo_file(meta['from_file'])


def keypoint_set_from_sdk(folder: str | Path, num_keypoints: int | None = None) -> KeypointSet:
    """The keypoint set of an MMDeploy SDK folder (see :func:`model_keypoint_set`).

    Raises:
        ValueError: no ``detail.json``, or a config name that names no set of ``num_keypoints`` keypoints.
    """
    kset = model_keypoint_set(folder, num_keypoints)
    if kset is None:
        raise ValueError(f'{folder}: cannot tell the keypoints from its detail.json (MMDeploy --dump-info) '
                         + (f'and K={num_keypoints}' if num_keypoints else '')
                         + f'; pass the keypoint set by name ({_some_names()}) or as a metainfo file')
    return kset


def model_keypoint_set(model: str | Path, num_keypoints: int | None = None) -> KeypointSet | None:
    """The keypoint set a model's own files give, ``None`` when they say nothing: a model config ``.py``; an MMDeploy
    SDK folder, by the model config its ``detail.json`` names when that file is here (and mmengine installed), else
    by the set that config's name names (``..._coco-wholebody-256x192.py`` -> COCO-WholeBody: the longest name or
    alias of a set of ``num_keypoints`` keypoints).

    Raises:
        ValueError: a config or metainfo file that is wrong, or a set of another ``K``.
    """
    model = Path(model)
    if model.suffix == '.py':
        return load_keypoint_set(model, num_keypoints)
    detail = model / 'detail.json'
    if not detail.is_file():
        return None
    config = str(json.loads(detail.read_text(encoding='utf-8')).get('codebase', {}).get('config', ''))
    for candidate in (Path(config), model / Path(config).name):
        if config and candidate.suffix == '.py' and candidate.is_file() and importlib.util.find_spec('mmengine'):
            return load_keypoint_set(candidate, num_keypoints)
    stem = Path(config).stem.lower().replace('-', '_')
    for name in sorted({*metainfo_names(), *ALIASES, 'coco'}, key=len, reverse=True):
        if re.search(rf'(^|_){re.escape(name)}', stem):
            kset = _from_name(name)
            if num_keypoints is None or kset.num_keypoints == num_keypoints:
                return kset
    return None

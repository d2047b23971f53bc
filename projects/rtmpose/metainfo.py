"""Keypoint sets: names, skeleton, OKS sigmas, flip pairs and colours of a dataset's keypoints (numpy only).

A :class:`KeypointSet` is what the runtime (OKS NMS, drawing, JSON records) and the demo dataset know about the
keypoints a model predicts. The values are MMPose's dataset metainfo (``configs/_base_/datasets/*.py``, the
``dataset_info`` dicts of MMPose's ``parse_pose_metainfo``); :func:`load_keypoint_set` reads them from a dataset
name, a metainfo file, a model config, or an MMDeploy SDK folder (its ``detail.json`` names the config the model was
exported from). Metainfo files are read as Python literals (never executed); model configs go through mmengine.

>>> load_keypoint_set('coco_wholebody').num_keypoints
133
>>> load_keypoint_set('configs/rtmpose-m_coco.py').name
'coco'
"""
from __future__ import annotations

import ast
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Short names for MMPose's dataset metainfo files (``<name>.py`` under ``configs/_base_/datasets``).
ALIASES = {'body': 'coco', 'human': 'coco', 'coco17': 'coco', 'wholebody': 'coco_wholebody',
           'hand': 'coco_wholebody_hand', 'face': 'lapa', 'animal': 'ap10k', 'body26': 'halpe26'}


@dataclass(frozen=True, eq=False)
class KeypointSet:
    """The keypoints a model predicts.

    Attributes:
        name: dataset name (``'coco'``).
        keypoint_names: ``K`` names in output order.
        skeleton: links as 0-based ``(i, j)`` keypoint index pairs.
        sigmas: ``(K,)`` OKS sigmas; ``(0,)`` when the dataset defines none (MMPose leaves them empty for most
            face and some hand sets).
        flip_pairs: 0-based ``(left, right)`` index pairs swapped by a horizontal flip.
        keypoint_colors: ``(K, 3)`` uint8 RGB colour of each keypoint (MMPose's visualizer colours).
        link_colors: ``(L, 3)`` uint8 RGB colour of each link of ``skeleton``.
    """

    name: str
    keypoint_names: tuple[str, ...]
    skeleton: tuple[tuple[int, int], ...]
    sigmas: np.ndarray
    flip_pairs: tuple[tuple[int, int], ...]
    keypoint_colors: np.ndarray | None = None
    link_colors: np.ndarray | None = None

    @property
    def num_keypoints(self) -> int:
        return len(self.keypoint_names)

    @property
    def has_sigmas(self) -> bool:
        return len(self.sigmas) == self.num_keypoints

    def coco_skeleton(self) -> list[list[int]]:
        """The skeleton 1-based, as COCO annotation files write it in ``categories[].skeleton``."""
        return [[i + 1, j + 1] for i, j in self.skeleton]

    def colors(self) -> tuple[np.ndarray, np.ndarray]:
        """``(keypoint_colors (K, 3), link_colors (L, 3))`` RGB uint8; a set without colours gets MMPose's
        visualizer defaults (green keypoints, blue links)."""
        kpt, link = self.keypoint_colors, self.link_colors
        kpt = np.tile([0, 255, 0], (self.num_keypoints, 1)) if kpt is None else kpt
        link = np.tile([0, 0, 255], (len(self.skeleton), 1)) if link is None else link
        return np.asarray(kpt, np.uint8).reshape(-1, 3), np.asarray(link, np.uint8).reshape(-1, 3)


def keypoint_set_from_info(info: dict[str, Any]) -> KeypointSet:
    """A :class:`KeypointSet` from an MMPose ``dataset_info`` dict (``keypoint_info``, ``skeleton_info``,
    ``sigmas``, ``dataset_name``), as MMPose's ``parse_pose_metainfo`` reads it.

    Raises:
        ValueError: keys missing, or links / swaps naming keypoints that are not in ``keypoint_info``.
    """
    missing = [key for key in ('keypoint_info', 'skeleton_info') if key not in info]
    if missing:
        raise ValueError(f'dataset metainfo lacks {missing}; expected MMPose\'s dataset_info with keypoint_info, '
                         f'skeleton_info and sigmas (configs/_base_/datasets/*.py)')
    kpts = [info['keypoint_info'][key] for key in sorted(info['keypoint_info'], key=int)]
    names = tuple(str(k['name']) for k in kpts)
    index = {name: i for i, name in enumerate(names)}
    links = [info['skeleton_info'][key] for key in sorted(info['skeleton_info'], key=int)]
    try:
        skeleton = tuple((index[a], index[b]) for a, b in (link['link'] for link in links))
        flips = {tuple(sorted((index[k['name']], index[k['swap']]))) for k in kpts if k.get('swap')}
    except KeyError as err:
        raise ValueError(f'dataset metainfo {info.get("dataset_name")!r}: link or swap names the unknown keypoint '
                         f'{err}') from err
    return KeypointSet(
        name=str(info.get('dataset_name', 'custom')), keypoint_names=names, skeleton=skeleton,
        sigmas=np.asarray(info.get('sigmas') or [], dtype=np.float64), flip_pairs=tuple(sorted(flips)),
        keypoint_colors=np.asarray([k.get('color', [0, 255, 0]) for k in kpts], np.uint8).reshape(-1, 3),
        link_colors=np.asarray([link.get('color', [0, 0, 255]) for link in links], np.uint8).reshape(-1, 3))


def read_metainfo_file(path: str | Path) -> dict[str, Any]:
    """The ``dataset_info`` dict of an MMPose metainfo file, read as a literal (the file is not executed).

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file has no ``dataset_info = dict(...)`` literal.
    """
    path = Path(path).expanduser()
    tree = ast.parse(path.read_text(encoding='utf-8'), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'dataset_info' for t in node.targets):
            try:
                return _literal(node.value)
            except ValueError as err:
                raise ValueError(f'{path}: dataset_info is not a plain literal ({err})') from err
    raise ValueError(f'{path} has no `dataset_info = dict(...)`: not an MMPose dataset metainfo file')


def _literal(node: ast.AST) -> Any:
    """Evaluate the literals MMPose's metainfo files use: constants, lists, tuples, dicts, ``dict(...)``,
    unary minus and ``[x] * n``."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_literal(e) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict):
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'dict' and not node.args:
        return {kw.arg: _literal(kw.value) for kw in node.keywords}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add)):
        left, right = _literal(node.left), _literal(node.right)
        return left * right if isinstance(node.op, ast.Mult) else left + right
    raise ValueError(f'unsupported expression {ast.dump(node)[:80]}')


def mmpose_metainfo_dir() -> Path | None:
    """MMPose's ``configs/_base_/datasets`` folder (found without importing MMPose), or ``None``."""
    spec = importlib.util.find_spec('mmpose')
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / '.mim' / 'configs' / '_base_' / 'datasets'
    return folder if folder.is_dir() else None


def dataset_names() -> list[str]:
    """The dataset names :func:`load_keypoint_set` takes (MMPose's metainfo files and :data:`ALIASES`)."""
    folder = mmpose_metainfo_dir()
    files = sorted(p.stem for p in folder.glob('*.py')) if folder else []
    return sorted(set(files) | set(ALIASES) | {'coco'})


def load_keypoint_set(source: KeypointSet | str | Path, num_keypoints: int | None = None) -> KeypointSet:
    """The keypoint set named or described by ``source``.

    Args:
        source: a :class:`KeypointSet`; a dataset name (``'coco'``, ``'coco_wholebody'``, ``'halpe26'``,
            ``'ap10k'``... any MMPose metainfo file name, or an alias of :data:`ALIASES`); a metainfo ``.py``
            file; a model config ``.py`` (its dataset metainfo); an MMDeploy SDK folder.
        num_keypoints: the model's ``K``; checked against the set (and used to tell sets apart in an SDK folder
            whose config file is not here).

    Raises:
        ValueError: unknown name, a source without keypoint metadata, or a set of another ``K``; the message says
            what to pass instead.
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
            kset = _from_dataset_name(str(source))
    if num_keypoints is not None and kset.num_keypoints != num_keypoints:
        raise ValueError(f'the model predicts {num_keypoints} keypoints but {kset.name!r} has {kset.num_keypoints}; '
                         f'pass the metainfo of the dataset the model was trained on')
    return kset


def _some_names() -> str:
    return "e.g. 'coco', 'coco_wholebody', 'halpe26', 'coco_wholebody_hand', 'lapa', 'ap10k', 'crowdpose', 'mpii'"


def _from_dataset_name(name: str) -> KeypointSet:
    key = ALIASES.get(name.lower(), name.lower()).replace('-', '_')
    if key == 'coco':
        return COCO17
    folder = mmpose_metainfo_dir()
    if folder is None or not (folder / f'{key}.py').is_file():
        where = 'MMPose is not installed' if folder is None else f'no {key}.py in {folder}'
        raise ValueError(f'unknown keypoint set {name!r} ({where}); pass a dataset name ({_some_names()}) or the '
                         f'path of an MMPose metainfo file')
    return keypoint_set_from_info(read_metainfo_file(folder / f'{key}.py'))


def _from_python_file(path: Path) -> KeypointSet:
    """A metainfo file (``dataset_info = dict(...)``), else a model config: its ``dataset_info``, or the metainfo of
    its test (else train) dataset (``metainfo=dict(from_file=...)``, else the dataset class's ``METAINFO``)."""
    try:
        return keypoint_set_from_info(read_metainfo_file(path))
    except ValueError:
        pass
    from mmengine.config import Config

    return keypoint_set_from_config(Config.fromfile(str(path)), str(path))


def keypoint_set_from_config(cfg: Any, source: str = 'the config') -> KeypointSet:
    """The keypoint set of an mmengine ``Config`` of an MMPose model (see :func:`load_keypoint_set`)."""
    if isinstance(cfg.get('dataset_info'), dict):
        return keypoint_set_from_info(cfg['dataset_info'])
    for split in ('test_dataloader', 'val_dataloader', 'train_dataloader'):
        dataset = (cfg.get(split) or {}).get('dataset') or {}
        dataset = dataset.get('dataset', dataset)  # RepeatDataset / CombinedDataset wrappers keep it inside
        meta = dataset.get('metainfo')
        if isinstance(meta, dict) and meta.get('from_file'):
            return keypoint_set_from_info(_read_info(_metainfo_path(meta['from_file'])))
        if isinstance(meta, dict) and 'keypoint_info' in meta:
            return keypoint_set_from_info(meta)
        if dataset.get('type'):
            return _dataset_class_metainfo(str(dataset['type']), source)
    raise ValueError(f'{source} names no dataset metainfo (no dataset_info, no test/train dataset); pass the '
                     f'keypoint set by name ({_some_names()}) or as a metainfo file')


def _read_info(path: Path) -> dict[str, Any]:
    """The ``dataset_info`` of a metainfo file: read as a literal, else (a file that inherits it through
    ``_base_``, as this repository's ``configs/_base_/datasets/coco.py``) through mmengine's ``Config``."""
    try:
        return read_metainfo_file(path)
    except ValueError:
        from mmengine.config import Config

        info = Config.fromfile(str(path)).get('dataset_info')
        if not isinstance(info, dict):
            raise
        return dict(info)


def _metainfo_path(from_file: str) -> Path:
    """``from_file`` as written, else under MMPose's package (``configs/_base_/datasets/x.py``)."""
    path = Path(from_file)
    folder = mmpose_metainfo_dir()
    if path.is_file() or folder is None:
        return path
    return folder.parents[2] / from_file if (folder.parents[2] / from_file).is_file() else folder / path.name


def _dataset_class_metainfo(dataset_type: str, source: str) -> KeypointSet:
    from .registry import DATASETS  # ours, falling through to MMPose's

    cls = DATASETS.get(dataset_type)
    meta = getattr(cls, 'METAINFO', None) if cls is not None else None
    if not meta or 'from_file' not in meta:
        raise ValueError(f'{source}: the dataset {dataset_type!r} declares no metainfo file; set '
                         f'metainfo=dict(from_file=...) in the config or pass the keypoint set by name')
    return keypoint_set_from_info(_read_info(_metainfo_path(meta['from_file'])))


#: Keypoint sets told apart by the config name an MMDeploy SDK folder's ``detail.json`` records, first match wins.
_CONFIG_NAME_SETS = (('wholebody-hand', 'coco_wholebody_hand'), ('wholebody-face', 'coco_wholebody_face'),
                     ('wholebody', 'coco_wholebody'), ('cocktail', 'coco_wholebody'), ('halpe26', 'halpe26'),
                     ('hand', 'coco_wholebody_hand'), ('face6', 'lapa'), ('lapa', 'lapa'), ('wflw', 'wflw'),
                     ('300w', '300w'), ('ap10k', 'ap10k'), ('crowdpose', 'crowdpose'), ('mpii', 'mpii'),
                     ('coco', 'coco'), ('body7', 'coco'), ('body8', 'coco'))


def keypoint_set_from_sdk(folder: str | Path, num_keypoints: int | None = None) -> KeypointSet:
    """The keypoint set of an MMDeploy SDK folder: from the model config ``detail.json`` names when that file is
    here, else from the config's name (``..._coco-wholebody-256x192.py`` -> COCO-WholeBody), checked against
    ``num_keypoints``.

    Raises:
        ValueError: no ``detail.json``, or a config name that says nothing about the keypoints.
    """
    folder = Path(folder)
    detail = folder / 'detail.json'
    if not detail.is_file():
        raise ValueError(f'{folder} has no detail.json (MMDeploy --dump-info) to say which keypoints the model '
                         f'predicts; pass the keypoint set by name ({_some_names()}) or as a metainfo file')
    config = str(json.loads(detail.read_text(encoding='utf-8')).get('codebase', {}).get('config', ''))
    for candidate in (Path(config), folder / Path(config).name):
        if config and candidate.suffix == '.py' and candidate.is_file():
            return load_keypoint_set(candidate, num_keypoints)
    stem = Path(config).stem.lower().replace('_', '-')
    for token, name in _CONFIG_NAME_SETS:
        if re.search(rf'(^|[-_]){re.escape(token)}', stem):
            kset = _from_dataset_name(name)
            if num_keypoints is None or kset.num_keypoints == num_keypoints:
                return kset
    raise ValueError(f'{detail}: cannot tell the keypoints from the config name {config!r}'
                     + (f' and K={num_keypoints}' if num_keypoints else '')
                     + f'; pass the keypoint set by name ({_some_names()}) or as a metainfo file')


_G, _O, _B = (0, 255, 0), (255, 128, 0), (51, 153, 255)  # MMPose's COCO colours: left, right, centre (RGB)
COCO17 = KeypointSet(
    name='coco',
    keypoint_names=('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
                    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
                    'right_knee', 'left_ankle', 'right_ankle'),
    skeleton=((15, 13), (13, 11), (16, 14), (14, 12), (11, 12), (5, 11), (6, 12), (5, 6), (5, 7), (6, 8), (7, 9),
              (8, 10), (1, 2), (0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6)),
    sigmas=np.array([.026, .025, .025, .035, .035, .079, .079, .072, .072, .062, .062, .107, .107, .087, .087, .089,
                     .089]),
    flip_pairs=((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16)),
    keypoint_colors=np.array([_B] * 5 + [_G, _O] * 6, np.uint8),
    link_colors=np.array([_G, _G, _O, _O, _B, _B, _B, _B, _G, _O, _G, _O] + [_B] * 7, np.uint8),
)

"""MMPose metainfo files (``configs/_base_/datasets/<name>.py``), found by name and read as files: this
repository's folder first, then MMPose's, as MMPose looks them up, then this package's copies of MMPose's files of the
sets it names (:data:`PACKAGE_SETS_DIR`, for an install without MMPose); read as Python literals, never executed, with
mmengine's ``_base_`` inheritance (``mmpose::`` paths and relative ones), so neither mmengine nor MMPose is imported.
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from typing import Any

#: This repository's configs (``configs/``).
REPO_CONFIG_DIR = Path(__file__).resolve().parents[3] / 'configs'
#: Where metainfo files live under a ``configs`` folder.
METAINFO_SUBDIR = Path('_base_') / 'datasets'
#: This package's copies of MMPose's metainfo files of the sets it names (model zoo, aliases, the ``mmpose::`` files
#: ``configs/_base_/datasets`` inherits), read when MMPose is not installed.
PACKAGE_SETS_DIR = Path(__file__).resolve().parent / 'sets'
_MAX_BASE_DEPTH = 8


def mmpose_config_dir() -> Path | None:
    """MMPose's ``configs`` folder (``mmpose/.mim/configs``, found without importing MMPose), or ``None``."""
    spec = importlib.util.find_spec('mmpose')
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / '.mim' / 'configs'
    return folder if folder.is_dir() else None


def metainfo_dirs() -> list[Path]:
    """The folders searched for a metainfo file by name: this repository's, MMPose's (when installed), then
    :data:`PACKAGE_SETS_DIR`."""
    mmpose = mmpose_config_dir()
    folders = [REPO_CONFIG_DIR / METAINFO_SUBDIR, *([mmpose / METAINFO_SUBDIR] if mmpose else []), PACKAGE_SETS_DIR]
    return [folder for folder in folders if folder.is_dir()]


def find_metainfo_file(name: str) -> Path | None:
    """The metainfo file ``<name>.py`` of the first folder of :func:`metainfo_dirs` that has it."""
    return next((folder / f'{name}.py' for folder in metainfo_dirs() if (folder / f'{name}.py').is_file()), None)


def metainfo_names() -> list[str]:
    """The names of all metainfo files of :func:`metainfo_dirs`."""
    return sorted({path.stem for folder in metainfo_dirs() for path in folder.glob('*.py')})


def read_metainfo_file(path: str | Path) -> dict[str, Any]:
    """The ``dataset_info`` dict of an MMPose metainfo file, read as literals (with its ``_base_`` files).

    Raises:
        FileNotFoundError: no such file, or a ``_base_`` file that is not there.
        ValueError: the file has no ``dataset_info``, or it is not a plain literal.
    """
    info = read_dataset_info(path)
    if info is None:
        raise ValueError(f'{path} has no `dataset_info = dict(...)`: not an MMPose dataset metainfo file')
    return info


def read_dataset_info(path: str | Path) -> dict[str, Any] | None:
    """As :func:`read_metainfo_file`, but ``None`` for a file without ``dataset_info`` (e.g. a model config)."""
    info = _read_names(Path(path).expanduser(), 0).get('dataset_info')
    if isinstance(info, _Unreadable):
        raise ValueError(f'{path}: dataset_info is not a plain literal ({info.reason}); write it as dict/list/number '
                         f'literals, as MMPose\'s configs/_base_/datasets/*.py do')
    return info


class _Unreadable:
    """A name whose value is not a literal (kept so that using it says why)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _read_names(path: Path, depth: int) -> dict[str, Any]:
    """The module-level names of the file ``path`` merged onto those of its ``_base_`` files, as mmengine does."""
    if not path.is_file():
        raise FileNotFoundError(f'metainfo file {path} not found')
    tree = ast.parse(path.read_text(encoding='utf-8'), filename=str(path))
    names: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = _literal(node.value, names)
            except ValueError as err:
                names[node.targets[0].id] = _Unreadable(str(err))
    merged: dict[str, Any] = {}
    for base in _base_paths(path, names.pop('_base_', []), depth):
        merged.update(_read_names(base, depth + 1))
    for key, value in names.items():
        merged[key] = _merge(merged.get(key), value)
    return merged


def _base_paths(path: Path, bases: Any, depth: int) -> list[Path]:
    if isinstance(bases, _Unreadable) or depth >= _MAX_BASE_DEPTH:
        raise ValueError(f'{path}: _base_ is not a list of file names, or inherits more than {_MAX_BASE_DEPTH} deep')
    paths = []
    for base in [bases] if isinstance(bases, str) else bases:
        paths.append(_mmpose_file(path, base) if base.startswith('mmpose::') else path.parent / base)
    return paths


def _mmpose_file(path: Path, base: str) -> Path:
    """The file of ``mmpose::<file>``: MMPose's when installed, else this package's copy of a metainfo file."""
    relative = Path(base[len('mmpose::'):])
    mmpose = mmpose_config_dir()
    if mmpose is not None:
        return mmpose / relative
    if relative.parent == METAINFO_SUBDIR and (PACKAGE_SETS_DIR / relative.name).is_file():
        return PACKAGE_SETS_DIR / relative.name
    raise ValueError(f'{path} inherits {base} from MMPose, which is not installed (this package ships only the '
                     f'metainfo files of {", ".join(sorted(p.stem for p in PACKAGE_SETS_DIR.glob("*.py")))}): '
                     f'pip install mmpose')


def _merge(base: Any, value: Any) -> Any:
    """``value`` over ``base``: dicts merged key by key unless ``_delete_=True`` (mmengine's rule), else replaced."""
    if not isinstance(base, dict) or not isinstance(value, dict) or value.get('_delete_'):
        return {k: v for k, v in value.items() if k != '_delete_'} if isinstance(value, dict) else value
    return {**base, **{key: _merge(base.get(key), item) for key, item in value.items()}}


def _literal(node: ast.AST, names: dict[str, Any]) -> Any:
    """Evaluate the literals metainfo files use: constants, lists, tuples, dicts, ``dict(...)``, unary minus,
    ``+`` and ``*``, and names assigned above in the same file (and items of them)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_literal(e, names) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_literal(k, names): _literal(v, names) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'dict' and not node.args \
            and all(kw.arg is not None for kw in node.keywords):
        return {kw.arg: _literal(kw.value, names) for kw in node.keywords}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal(node.operand, names)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add)):
        left, right = _literal(node.left, names), _literal(node.right, names)
        return left * right if isinstance(node.op, ast.Mult) else left + right
    if isinstance(node, ast.Name) and node.id in names and not isinstance(names[node.id], _Unreadable):
        return names[node.id]
    if isinstance(node, ast.Subscript):  # colors['sss'] (MMPose's deepfashion2.py)
        try:
            return _literal(node.value, names)[_literal(node.slice, names)]
        except (KeyError, IndexError, TypeError) as err:
            raise ValueError(f'{ast.unparse(node)[:60]!r}: {err!r}') from err
    raise ValueError(f'unsupported expression {ast.unparse(node)[:60]!r}')

"""Generate the demo dataset into a folder once: idempotent, atomic, safe when several processes race.

Layout (what MMPose's ``CocoDataset`` and ``CocoMetric`` read)::

    <root>/annotations/person_keypoints_train.json    <root>/train/000000000001.jpg ...
    <root>/annotations/person_keypoints_val.json      <root>/val/000001000001.jpg ...
    <root>/meta.json                                  generator, version, seed, counts, statistics

Two runs with the same settings give identical bytes (but for the time taken in ``meta.json``). Each setting has
a folder of its own (``configs/rtmpose-t_demo.py`` names ``data_root`` after ``demo_cfg``); a folder is replaced
only when it holds nothing but a dataset this generator wrote, never when it holds anything else.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from .scene import SCENE_VERSION
from .writer import IMAGE_ID_STRIDE, SPLITS, ProgressFn, ann_file, write_split

# ``meta.json`` names the generator so that only folders it wrote are ever regenerated. The name is where the
# generator first lived: datasets written since then keep being recognised.
GENERATOR_NAME = 'rtmpose.datasets.demo_generator'


def _sibling(root: Path, kind: str) -> Path:
    """Create and return a new hidden folder next to ``root`` (same file system, so renames are atomic)."""
    folder = root.parent / f'.{root.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}'
    folder.mkdir()
    return folder


#: how a run gives other demo settings a folder of their own
_FOLDER_HINT = ('configs/rtmpose-t_demo.py names data_root after its demo_cfg (edit demo_cfg there), or pass '
                '--cfg-options with the data_root of both dataloaders and val_evaluator.ann_file in an empty or '
                'absent folder')
#: the paths (relative to the dataset folder, ``/``-separated) of everything the generator writes
_WRITTEN = re.compile(r'meta\.json|annotations(/person_keypoints_(train|val)\.json)?|(train|val)(/\d{12}\.jpg)?')


def _foreign_paths(root: Path) -> list[Path]:
    """What ``root`` holds that the generator does not write (a user's files), sorted."""
    return sorted(p for p in root.rglob('*') if not _WRITTEN.fullmatch(p.relative_to(root).as_posix()))


def _replace_folder(tmp: Path, root: Path) -> None:
    """Rename the finished folder ``tmp`` to ``root``, replacing an existing ``root`` (restored on failure)."""
    if not root.exists():
        tmp.rename(root)
        return
    trash = _sibling(root, 'old')
    root.rename(trash / root.name)
    try:
        tmp.rename(root)
    except BaseException:
        (trash / root.name).rename(root)
        raise
    shutil.rmtree(trash)


def _read_meta(root: Path) -> dict | None:
    """``root/meta.json`` if this generator wrote it, else ``None``."""
    try:
        meta = json.loads((root / 'meta.json').read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get('generator') == GENERATOR_NAME else None


def _matches(meta: dict | None, root: Path, num_train: int, num_val: int, seed: int) -> bool:
    return (meta is not None and meta.get('version') == SCENE_VERSION and meta.get('seed') == seed
            and meta.get('num_train') == num_train and meta.get('num_val') == num_val
            and all(ann_file(root, split).is_file() for split in SPLITS))


def _written_meanwhile(root: Path, found: dict | None, num_train: int, num_val: int, seed: int) -> dict | None:
    """The meta of a matching dataset at ``root`` that differs from the ``found`` one seen at the start, or None."""
    meta = _read_meta(root)
    return meta if meta != found and _matches(meta, root, num_train, num_val, seed) else None


def _summary(root: Path, meta: dict, generated: bool) -> dict:
    return dict(root=str(root), generated=generated, ann_files={s: str(ann_file(root, s)) for s in SPLITS},
                img_dirs={s: str(root / s) for s in SPLITS}, seed=meta['seed'], stats=meta['stats'],
                seconds=meta['seconds'])


def _write_dataset(folder: Path, num_train: int, num_val: int, seed: int, progress: ProgressFn | None) -> dict:
    """Write both splits and ``meta.json`` into the empty ``folder``; returns the meta."""
    start = time.perf_counter()
    (folder / 'annotations').mkdir()
    stats = {split: write_split(folder, split_id, count, seed, progress)
             for split_id, (split, count) in enumerate(zip(SPLITS, (num_train, num_val)))}
    meta = dict(generator=GENERATOR_NAME, version=SCENE_VERSION, seed=seed, num_train=num_train, num_val=num_val,
                stats=stats, seconds=round(time.perf_counter() - start, 2))
    (folder / 'meta.json').write_text(json.dumps(meta, indent=2))
    return meta


def _publish(tmp: Path, root: Path, found: dict | None, num_train: int, num_val: int, seed: int) -> dict | None:
    """Rename ``tmp`` to ``root``, unless another process (e.g. another rank of a distributed run) wrote the same
    dataset there meanwhile: then ``tmp`` stays and the other dataset's meta is returned."""
    done = _written_meanwhile(root, found, num_train, num_val, seed)
    if done is None:
        try:
            _replace_folder(tmp, root)
        except OSError:
            done = _written_meanwhile(root, found, num_train, num_val, seed)
            if done is None:
                raise
    return done


def generate_demo_dataset(root: str | Path, num_train: int = 1500, num_val: int = 200, seed: int = 0,
                          overwrite: bool = False, progress: ProgressFn | None = None) -> dict:
    """Write the demo dataset to ``root`` (e.g. ``data/demo/seed0_train1500_val200``) unless it is already there.

    If ``root`` holds a dataset of this generator version with the same seed and counts, nothing is written. A
    dataset this generator wrote with other settings is replaced only with ``overwrite=True``; a folder that holds
    anything else (a user's files) is never replaced (``FileExistsError`` naming them). The dataset is built in a
    temporary folder next to ``root`` and renamed into place, so an interrupted run leaves no partial ``root``.

    Args:
        progress: called as ``progress(split, done, total)`` after each image.

    Returns:
        ``root``, ``generated`` (False when it was already there), ``ann_files`` and ``img_dirs`` per split,
        ``seed``, ``stats`` per split (images, instances, keypoint counts per visibility) and ``seconds`` taken.
    """
    if not (0 <= num_train < IMAGE_ID_STRIDE and 0 <= num_val < IMAGE_ID_STRIDE):
        raise ValueError(f'image counts must be in [0, {IMAGE_ID_STRIDE}), got num_train={num_train}, '
                         f'num_val={num_val}')
    root = Path(root).absolute()
    found = _read_meta(root)
    if not overwrite and _matches(found, root, num_train, num_val, seed):
        return _summary(root, found, generated=False)
    _check_replaceable(root, overwrite, f'seed={seed}, num_train={num_train}, num_val={num_val}')

    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(root, 'tmp')
    try:
        meta = _write_dataset(tmp, num_train, num_val, seed, progress)
        done = _publish(tmp, root, found, num_train, num_val, seed)
        if done is not None:
            shutil.rmtree(tmp)
            return _summary(root, done, generated=False)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return _summary(root, meta, generated=True)


def _check_replaceable(root: Path, overwrite: bool, settings: str) -> None:
    """Raise ``FileExistsError`` unless ``root`` is absent, empty, or (with ``overwrite``) holds nothing but a
    dataset of this generator."""
    if not root.exists() or (root.is_dir() and not any(root.iterdir())):
        return
    foreign = _foreign_paths(root) if root.is_dir() else [root]
    if foreign:
        shown = ', '.join(str(p) for p in foreign[:3]) + (f' and {len(foreign) - 3} more' if len(foreign) > 3 else '')
        raise FileExistsError(f'{root} holds files the demo dataset generator did not write ({shown}); they are '
                              f'never replaced: write the demo dataset ({settings}) into another folder')
    if not overwrite:
        raise FileExistsError(f'{root} holds a demo dataset of other settings than {settings} (version '
                              f'{SCENE_VERSION}); pass overwrite=True to replace it, or write into another folder')


def ensure_demo_dataset(root: str | Path, num_train: int = 1500, num_val: int = 200, seed: int = 0,
                        progress: ProgressFn | None = None) -> dict:
    """Make sure ``root`` holds the demo dataset with these settings: generate it when ``root`` is absent or empty,
    regenerate one that an older generator version wrote with these settings.

    Raises:
        FileExistsError: ``root`` holds a demo dataset of other settings (each setting has a folder of its own:
            the message says how to choose it) or files the generator did not write (never replaced).
    """
    root = Path(root).absolute()
    meta = _read_meta(root)
    if meta is not None and (meta.get('seed'), meta.get('num_train'), meta.get('num_val')) != (seed, num_train,
                                                                                                 num_val):
        raise FileExistsError(f'{root} holds the demo dataset with seed={meta.get("seed")}, num_train='
                              f'{meta.get("num_train")}, num_val={meta.get("num_val")}; the one with seed={seed}, '
                              f'num_train={num_train}, num_val={num_val} goes in a folder of its own. {_FOLDER_HINT}')
    stale = meta is not None and not _matches(meta, root, num_train, num_val, seed)
    return generate_demo_dataset(root, num_train, num_val, seed, overwrite=stale, progress=progress)

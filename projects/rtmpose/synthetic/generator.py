"""Generate the demo dataset into a folder once: idempotent, atomic, safe when several processes race.

Layout (what MMPose's ``CocoDataset`` and ``CocoMetric`` read)::

    <root>/annotations/person_keypoints_train.json    <root>/train/000000000001.jpg ...
    <root>/annotations/person_keypoints_val.json      <root>/val/000001000001.jpg ...
    <root>/meta.json                                  generator, version, seed, counts, statistics

Two runs with the same settings give identical bytes (but for the time taken in ``meta.json``).
"""
from __future__ import annotations

import json
import os
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


def _move_into_place(tmp: Path, root: Path) -> None:
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
            _move_into_place(tmp, root)
        except OSError:
            done = _written_meanwhile(root, found, num_train, num_val, seed)
            if done is None:
                raise
    return done


def generate_demo_dataset(root: str | Path, num_train: int = 1500, num_val: int = 200, seed: int = 0,
                          overwrite: bool = False, progress: ProgressFn | None = None) -> dict:
    """Write the demo dataset to ``root`` (e.g. ``data/demo``) unless it is already there.

    If ``root`` holds a dataset of this generator version with the same seed and counts, nothing is written. Other
    content is replaced only with ``overwrite=True`` (else ``FileExistsError``). The dataset is built in a temporary
    folder next to ``root`` and renamed into place, so an interrupted run leaves no partial ``root``.

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
    if root.exists() and not overwrite and (not root.is_dir() or any(root.iterdir())):
        raise FileExistsError(f'{root} exists and is not a demo dataset with seed={seed}, num_train={num_train}, '
                              f'num_val={num_val} (version {SCENE_VERSION}); pass overwrite=True to replace it')

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


def ensure_demo_dataset(root: str | Path, num_train: int = 1500, num_val: int = 200, seed: int = 0,
                        progress: ProgressFn | None = None) -> dict:
    """Make sure ``root`` holds the demo dataset with these settings: generate it when absent, regenerate a demo
    dataset made with other settings or another generator version, refuse (``FileExistsError``) other content."""
    root = Path(root).absolute()
    meta = _read_meta(root)
    stale = meta is not None and not _matches(meta, root, num_train, num_val, seed)
    return generate_demo_dataset(root, num_train, num_val, seed, overwrite=stale, progress=progress)

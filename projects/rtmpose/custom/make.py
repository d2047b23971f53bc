"""``tools/make_config.py``: from a COCO keypoint file to the files that train RTMPose on it, written next to the
config only once everything checked out (nothing is written on an error)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..utils.atomic_write import atomic_write
from .coco_keypoints import KeypointFile, read_keypoint_file
from .keypoint_metainfo import flip_partners, keypoint_info, metainfo_text, parse_sigmas
from .pose_config import DataFiles, Schedule, machine_batch_size, pose_config_text, recipe_sizes

#: ``(w, h)`` of the recipe of every size (the COCO configs' codec).
DEFAULT_INPUT_SIZE = (192, 256)


@dataclass
class MakeConfigArgs:
    """The command's arguments (see ``tools/make_config.py --help``)."""

    ann: Path
    img_dir: Path
    out: Path
    model: str = 'rtmpose-t'
    val_ann: Path | None = None
    val_img_dir: Path | None = None
    val_split: float | None = None
    category: str | None = None
    flip_pairs: str | None = None
    sigmas: str | None = None
    input_size: tuple[int, int] | None = None
    batch_size: int | None = None
    force: bool = False


def make_config(args: MakeConfigArgs) -> list[str]:
    """Write the config, its metainfo file and the annotation files it reads next to ``args.out``; return the
    report lines (what was found and chosen, and the commands to run next).

    Raises:
        FileNotFoundError, ValueError: bad input; the message names the file, the problem and the fix.
    """
    size, input_size = _size(args.model), _input_size(args.input_size)
    paths = _output_paths(args)
    train, val, val_note = _train_val(args)
    meta, notes = _metainfo(args, train, val, paths['config'].stem)
    stats = train.stats()
    schedule = Schedule(stats['instances'], args.batch_size or machine_batch_size(stats['instances']))
    files = DataFiles(paths['metainfo'], paths['train'], args.img_dir.resolve(), paths['val'],
                      (args.val_img_dir or args.img_dir).resolve())
    config = pose_config_text(paths['config'], size, len(train.names), input_size, schedule, files, str(args.ann))
    paths['config'].parent.mkdir(parents=True, exist_ok=True)
    for path, text in ((paths['train'], json.dumps(train.coco())), (paths['val'], json.dumps(val.coco())),
                       (paths['metainfo'], meta), (paths['config'], config)):
        with atomic_write(path, 'w', encoding='utf-8') as f:
            f.write(text)
    return _report(train, val, val_note, notes, schedule, paths)


def _output_paths(args: MakeConfigArgs) -> dict[str, Path]:
    """The files to write (config, metainfo, train and val annotations), checked not to overwrite any by mistake."""
    out = args.out.resolve()
    if out.suffix != '.py':
        raise ValueError(f'--out {args.out} is not a .py file: mmengine reads configs from Python files, e.g. '
                         f'--out configs/custom/{out.stem}.py')
    for folder in filter(None, (args.img_dir, args.val_img_dir)):
        if not folder.is_dir():
            raise FileNotFoundError(f'image folder {folder} not found: give the folder that file_name of the '
                                    f'annotation file is relative to')
    paths = dict(config=out, metainfo=out.with_name(out.stem + '_metainfo.py'),
                 train=out.with_name(out.stem + '_train.json'), val=out.with_name(out.stem + '_val.json'))
    existing = [str(p) for p in paths.values() if p.exists()]
    if existing and not args.force:
        raise FileExistsError(f'{", ".join(existing)} already exist: give another --out, or --force to overwrite')
    return paths


def _metainfo(args: MakeConfigArgs, train: KeypointFile, val: KeypointFile, name: str) -> tuple[str, list[str]]:
    """``(metainfo file text, notes)``: the keypoint set ``name`` of ``train`` and every choice made for it."""
    names = train.names
    if val.names != names:
        raise ValueError(f'{args.val_ann}: its keypoints {val.names} differ from those of {args.ann}: give a val '
                         f'file of the same category and keypoints')
    try:
        partner, notes = flip_partners(names, args.flip_pairs)
        sigmas, sigma_note = parse_sigmas(args.sigmas, len(names))
    except ValueError as err:
        raise ValueError(f'{args.ann} (category {train.category["name"]!r}): {err}') from err
    links = train.category.get('skeleton') or []
    notes += [f'OKS sigmas: {sigma_note}',
              f'skeleton: {len(links)} links from categories[].skeleton' if links else 'skeleton: none in the file',
              'joint weights: 1 each; colours: left keypoints and their links green, right orange, others blue',
              "type '' for every keypoint (no body halves: MMPose's RandomHalfBody leaves the crops whole)"]
    info = keypoint_info(name, names, links, partner, sigmas)
    return metainfo_text(info, notes, str(args.ann)), notes


def _input_size(input_size: tuple[int, int] | None) -> tuple[int, int]:
    if input_size is None:
        return DEFAULT_INPUT_SIZE
    if any(s <= 0 or s % 32 for s in input_size):
        raise ValueError(f'--input-size {input_size[0]} {input_size[1]}: width and height must be multiples of 32 '
                         f'(the backbone downsamples by 32), e.g. --input-size 192 256 or 256 256')
    return input_size


def _size(model: str) -> str:
    sizes = recipe_sizes()
    size = model.removeprefix('rtmpose-')
    if size not in sizes:
        raise ValueError(f'--model {model!r} is not a size with a recipe here: choose one of '
                         f'{", ".join("rtmpose-" + s for s in sizes)}')
    return size


def _train_val(args: MakeConfigArgs) -> tuple[KeypointFile, KeypointFile, str]:
    train = read_keypoint_file(args.ann, args.category)
    if args.val_ann is not None:
        return train, read_keypoint_file(args.val_ann, train.category['name']), f'val: {args.val_ann}'
    if args.val_split is None:
        raise ValueError(f'no val set for {args.ann}: give --val-ann FILE, or --val-split 0.1 to hold out a tenth '
                         f'of its images')
    if not 0 < args.val_split < 1:
        raise ValueError(f'--val-split {args.val_split} is not a fraction between 0 and 1: e.g. --val-split 0.1')
    train, val = train.split(args.val_split)
    return train, val, f'val: {len(val.images)} images of {args.ann} (--val-split {args.val_split}, seed 0)'


def _report(train: KeypointFile, val: KeypointFile, val_note: str, notes: list[str], schedule: Schedule,
            paths: dict[str, Path]) -> list[str]:
    lines = []
    for what, kfile in (('train', train), ('val', val)):
        st = kfile.stats()
        per = st['labelled'] / max(1, st['instances'])
        lines.append(f'{what}: {st["images"]} images ({st["images_annotated"]} annotated), {st["instances"]} '
                     f'instances (+{st["crowd"]} crowd), {st["keypoints"]} keypoints each, {st["labelled"]} labelled '
                     f'({per:.1f} per instance), {st["visible"]} visible')
        if kfile.derived_boxes or kfile.recounted:
            lines.append(f'  {kfile.path}: {kfile.derived_boxes} boxes missing, derived from the labelled '
                         f'keypoints; {kfile.recounted} num_keypoints missing or wrong, counted again')
    lines += [val_note, *notes,
              f'schedule: {schedule.max_epochs} epochs of {schedule.iters_per_epoch} iterations at batch '
              f'{schedule.batch_size}, warm-up {schedule.warmup_iters} iterations',
              *(f'wrote {path}' for path in paths.values()),
              'next:', f'  mim train mmpose {paths["config"]}',
              '  (a detector config for this category is not written yet: until then, test and run on ground-truth '
              'boxes)']
    return lines

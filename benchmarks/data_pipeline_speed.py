"""Training data pipeline speed per loader worker: ours vs MMPose, same config, same images, one run.

The training dataset of ``configs/rtmpose-m_coco.py`` (its ``train_pipeline``: LoadImage, GetBBoxCenterScale,
RandomFlip, RandomHalfBody, RandomBBoxTransform, TopdownAffine, YOLOXHSVRandomAug, Albumentation,
GenerateTarget, PackPoseInputs) is built twice over the real COCO images of the shared fixture
(``../shared/data/coco``: 4 images, ``test_coco.json``): once in the ``rtmpose`` scope (ours) and once in the
``mmpose`` scope (MMPose's). What one loader worker does is timed directly: ``dataset[i]`` in a loop in this
process (a ``DataLoader`` worker runs exactly that, then hands the sample over; with ``num_workers=N`` each of the
N processes does it). The sides alternate over repetitions, each repetition from the same NumPy/Python seed, and
the report gives samples/s per side, the median per-repetition ratio (> 1: ours faster) with its range, and the
share of each transform in ours.

The workers-per-GPU figure divides the images one GPU consumes per second (``--batch-per-gpu`` images per step of
``--step-s`` seconds) by one worker's samples/s. No RTMPose-m GPU step time could be measured or read here (no GPU,
MMPose's published training logs are not reachable offline), so the step times are stated assumptions, one row each.

Usage: python benchmarks/data_pipeline_speed.py [--samples 240] [--repeats 7] [--step-s 0.25 0.5 1.0]
Writes benchmarks/results/data_pipeline.{json,md}.
"""
import argparse
import collections
import copy
import json
import math
import os
import random
import statistics
import time
from pathlib import Path

import numpy as np
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpose.registry import DATASETS

import rtmpose.registry  # noqa: F401  (creates the rtmpose scope)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get('RTMPOSE_SHARED', ROOT.parent / 'shared'))


def build(scope: str, coco_dir: Path):
    """The config's training dataset over the fixture, built in ``scope`` (which library's classes)."""
    cfg = Config.fromfile(str(ROOT / 'configs/rtmpose-m_coco.py'))
    ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    ds_cfg.update(type='CocoDataset', data_root=str(coco_dir) + '/', ann_file='test_coco.json',
                  data_prefix=dict(img=''))
    with DefaultScope.overwrite_default_scope(scope):
        return DATASETS.build(ds_cfg)


def time_samples(dataset, n: int, seed: int) -> float:
    """Seconds per ``dataset[i]`` over ``n`` samples cycling through the dataset."""
    random.seed(seed)
    np.random.seed(seed)
    start = time.perf_counter()
    for i in range(n):
        dataset[i % len(dataset)]
    return (time.perf_counter() - start) / n


def transform_shares(dataset, n: int) -> dict[str, float]:
    """Milliseconds per sample spent in each transform (and in ``get_data_info``)."""
    spent = collections.defaultdict(float)
    for i in range(n):
        start = time.perf_counter()
        data = dataset.get_data_info(i % len(dataset))
        spent['get_data_info'] += time.perf_counter() - start
        for transform in dataset.pipeline.transforms:
            start = time.perf_counter()
            data = transform(data)
            spent[type(transform).__name__] += time.perf_counter() - start
    return {name: s / n * 1e3 for name, s in spent.items()}


def measure(args: argparse.Namespace) -> dict:
    sides = {scope: build(scope, args.coco_dir) for scope in ('rtmpose', 'mmpose')}
    for dataset in sides.values():
        time_samples(dataset, len(dataset), 0)  # warm-up (file cache, lazy imports)
    seconds = {scope: [] for scope in sides}
    for rep in range(args.repeats):
        for scope in (list(sides) if rep % 2 == 0 else list(sides)[::-1]):
            seconds[scope].append(time_samples(sides[scope], args.samples, rep))
        print(f"rep {rep + 1}/{args.repeats}: ours {1 / seconds['rtmpose'][-1]:.1f}, "
              f"MMPose {1 / seconds['mmpose'][-1]:.1f} samples/s", flush=True)
    ratios = [m / o for o, m in zip(seconds['rtmpose'], seconds['mmpose'])]
    per_worker = 1 / statistics.median(seconds['rtmpose'])
    return dict(
        samples=len(sides['rtmpose']), timed_per_repetition=args.samples, repeats=args.repeats,
        samples_per_s={'ours': per_worker, 'mmpose': 1 / statistics.median(seconds['mmpose'])},
        ratio=statistics.median(ratios), ratio_range=[min(ratios), max(ratios)],
        transform_ms_ours=transform_shares(sides['rtmpose'], args.samples),
        batch_per_gpu=args.batch_per_gpu,
        workers_per_gpu=[dict(step_s=step, images_per_s=args.batch_per_gpu / step,
                              workers=args.batch_per_gpu / step / per_worker,
                              workers_rounded=math.ceil(args.batch_per_gpu / step / per_worker))
                         for step in args.step_s])


def markdown(r: dict, args: argparse.Namespace) -> str:
    low, high = r['ratio_range']
    lines = [
        '| pipeline (configs/rtmpose-m_coco.py train) | samples/s per worker |', '|---|---|',
        f"| ours (`rtmpose` scope) | {r['samples_per_s']['ours']:.1f} |",
        f"| MMPose (`mmpose` scope) | {r['samples_per_s']['mmpose']:.1f} |",
        f"| ratio ours / MMPose | {r['ratio']:.2f}x ({low:.2f}-{high:.2f}) |", '',
        '| transform (ours) | ms per sample |', '|---|---|',
        *[f'| {name} | {ms:.2f} |' for name, ms in r['transform_ms_ours'].items()], '',
        f"| GPU step time (assumed), {r['batch_per_gpu']} images | images/s per GPU | workers per GPU (ours) |",
        '|---|---|---|',
        *[f"| {w['step_s']:g} s | {w['images_per_s']:.0f} | {w['workers']:.1f} -> {w['workers_rounded']} |"
          for w in r['workers_per_gpu']], '',
        f"`dataset[i]` in a loop in one process (what one DataLoader worker runs), {r['samples']} fixture instances "
        f"cycled, {args.samples} samples per repetition, medians over {args.repeats} repetitions (sides "
        'alternating, the same seed per repetition for both); ratio > 1: ours faster (median of per-repetition '
        'ratios, range).']
    return '\n'.join(lines) + '\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--coco-dir', type=Path, default=SHARED / 'data/coco')
    parser.add_argument('--samples', type=int, default=240)
    parser.add_argument('--repeats', type=int, default=7)
    parser.add_argument('--batch-per-gpu', type=int, default=256)
    parser.add_argument('--step-s', type=float, nargs='+', default=[0.25, 0.5, 1.0],
                        help='seconds per training step of one GPU (assumed; one workers-per-GPU row each)')
    parser.add_argument('--out', default=str(ROOT / 'benchmarks/results/data_pipeline'))
    args = parser.parse_args()
    if not (args.coco_dir / 'test_coco.json').is_file():
        parser.error(f'{args.coco_dir}/test_coco.json not found: pass --coco-dir (the shared COCO fixture, '
                     'see ../shared/README.md) or set RTMPOSE_SHARED')
    result = measure(args)
    Path(args.out + '.json').write_text(json.dumps(result, indent=2))
    text = markdown(result, args)
    Path(args.out + '.md').write_text(text)
    print(text)


if __name__ == '__main__':
    main()

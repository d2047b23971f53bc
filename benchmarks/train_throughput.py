"""Training throughput (images/s, CPU) of our RTMPose vs MMPose's reference, same config, same data, one run.

Both models are built from the same config (`configs/rtmpose-{t,m}_coco.py`): ours in the `rtmpose` scope, the
reference in the `mmpose` scope. Both train on the same batches of the demo dataset (real train pipeline, generated
into data/demo when absent) with the config's AdamW optimizer wrapper. Two parts are timed, interleaved over
repetitions, and reported as medians:

- data: producing one training sample with the config's train pipeline (GenerateTarget uses each side's codec);
- step: one `train_step` (data preprocessor, forward, loss, backward, AdamW update) on a fixed batch.

A third side, ``ours_bf16``, is our model with the project's ``BF16OptimWrapper`` (bfloat16 autocast on the CPU; the
demo config trains this way) against the same float32 MMPose run: MMPose users cannot do that on a CPU today
(mmengine's ``AmpOptimWrapper`` runs on GPUs only). Its data part is ours (same dataset and pipeline code), so only
its step is timed. On a CPU without native bfloat16 the wrapper trains in float32 and says so.

Usage: python benchmarks/train_throughput.py [--archs t m] [--batch 16] [--steps 5] [--repeats 9]
Writes benchmarks/results/train_throughput.{json,md}.
"""
import argparse
import copy
import json
import statistics
import time
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.model import revert_sync_batchnorm
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope
from mmpose.registry import DATASETS, MODELS

import rtmpose.registry  # noqa: F401  (creates the rtmpose scope)
from rtmpose.synthetic import ensure_demo_dataset

ROOT = Path(__file__).resolve().parents[1]
# side -> (registry scope, optimizer wrapper type replacing the config's; None keeps it)
SIDES = {'ours': ('rtmpose', None), 'ours_bf16': ('rtmpose', 'BF16OptimWrapper'), 'mmpose': ('mmpose', None)}


def build(arch: str, scope: str, wrapper: str | None, data_root: str):
    cfg = Config.fromfile(str(ROOT / f'configs/rtmpose-{arch}_coco.py'))
    cfg.model.backbone.init_cfg = None
    if wrapper is not None:
        cfg.optim_wrapper.type = wrapper
    ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    ds_cfg.update(type='CocoDataset', data_root=data_root, ann_file='annotations/person_keypoints_train.json',
                  data_prefix=dict(img='train/'))
    with DefaultScope.overwrite_default_scope(scope):
        torch.manual_seed(0)
        model = revert_sync_batchnorm(MODELS.build(cfg.model)).train()
        dataset = DATASETS.build(ds_cfg)
        optim = build_optim_wrapper(model, cfg.optim_wrapper)
    return model, dataset, optim


def time_data(dataset, indices: list[int]) -> float:
    start = time.perf_counter()
    for i in indices:
        dataset[i]
    return (time.perf_counter() - start) / len(indices)


def time_steps(model, optim, batch: dict, steps: int) -> float:
    model.train_step(batch, optim)  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        model.train_step(batch, optim)
    return (time.perf_counter() - start) / steps


def end_to_end(data_t: dict, step_t: dict, name: str) -> list[float]:
    """Per repetition: MMPose's (data + step) time over side ``name``'s."""
    return [(md + ms) / (od + os) for od, os, md, ms in
            zip(data_t[name], step_t[name], data_t['mmpose'], step_t['mmpose'])]


def ratio(row: dict, key: str) -> str:
    low, high = row[f'ratio_{key}_range']
    return f"{row[f'ratio_{key}']:.2f}x ({low:.2f}-{high:.2f})"


def measure(arch: str, args: argparse.Namespace) -> tuple[dict, dict]:
    """Per-repetition data and step seconds per image of every side, the sides alternating who goes first."""
    sides = {name: build(arch, scope, wrapper, args.data_root + '/') for name, (scope, wrapper) in SIDES.items()}
    torch.manual_seed(0)
    batch = pseudo_collate([sides['ours'][1][i] for i in range(args.batch)])
    for name in ('ours_bf16', 'mmpose'):
        sides[name][0].load_state_dict(sides['ours'][0].state_dict())
    data_t = {name: [] for name in ('ours', 'mmpose')}
    step_t = {name: [] for name in sides}
    for rep in range(args.repeats):
        for name in (list(sides) if rep % 2 == 0 else list(sides)[::-1]):
            model, dataset, optim = sides[name]
            if name in data_t:
                data_t[name].append(time_data(dataset, list(range(rep * 64, rep * 64 + 64))))
            step_t[name].append(time_steps(model, optim, batch, args.steps) / args.batch)
            print(f'rtmpose-{arch} {name:9s} rep {rep + 1}/{args.repeats}: step {step_t[name][-1] * 1e3:.1f} '
                  f'ms/img' + (f', data {data_t[name][-1] * 1e3:.2f} ms/img' if name in data_t else ''), flush=True)
    data_t['ours_bf16'] = data_t['ours']
    return data_t, step_t


def summarise(arch: str, batch: int, data_t: dict, step_t: dict) -> dict:
    """Medians per side, and ratios (> 1: ours faster) per repetition, where both sides ran back to back, with
    their median and range."""
    row = dict(model=f'rtmpose-{arch}', batch=batch)
    for name in step_t:
        d, s = statistics.median(data_t[name]), statistics.median(step_t[name])
        row[name] = dict(data_ms_per_img=d * 1e3, step_ms_per_img=s * 1e3, step_img_per_s=1 / s,
                         end_to_end_img_per_s=1 / (d + s))
    per_rep = {
        'step': [m / o for o, m in zip(step_t['ours'], step_t['mmpose'])],
        'data': [m / o for o, m in zip(data_t['ours'], data_t['mmpose'])],
        'end_to_end': end_to_end(data_t, step_t, 'ours'),
        'bf16_step': [m / o for o, m in zip(step_t['ours_bf16'], step_t['mmpose'])],
        'bf16_end_to_end': end_to_end(data_t, step_t, 'ours_bf16'),
    }
    for key, ratios in per_rep.items():
        row[f'ratio_{key}'] = statistics.median(ratios)
        row[f'ratio_{key}_range'] = [min(ratios), max(ratios)]
    return row


def markdown(results: list[dict], args: argparse.Namespace) -> str:
    lines = ['| model | ours train step img/s | MMPose img/s | ratio (step) | data ms/img ours / MMPose | ratio (data) '
             '| ratio (end to end) | ours bfloat16 step img/s | ratio bfloat16 (step) | ratio bfloat16 (end to end) |',
             '|---|---|---|---|---|---|---|---|---|---|']
    for r in results:
        lines.append(f"| {r['model']} | {r['ours']['step_img_per_s']:.1f} | {r['mmpose']['step_img_per_s']:.1f} | "
                     f"{ratio(r, 'step')} | {r['ours']['data_ms_per_img']:.2f} / {r['mmpose']['data_ms_per_img']:.2f}"
                     f" | {ratio(r, 'data')} | {ratio(r, 'end_to_end')} | {r['ours_bf16']['step_img_per_s']:.1f} | "
                     f"{ratio(r, 'bf16_step')} | {ratio(r, 'bf16_end_to_end')} |")
    lines.append(f'\nMedians over {args.repeats} repetitions (batch {args.batch}, {args.steps} timed steps each); '
                 'ratios > 1 mean ours is faster: the median of per-repetition ratios, with their range. Both float32 '
                 'sides run the config as it is; "bfloat16" is ours with `BF16OptimWrapper` against the same float32 '
                 'MMPose run.')
    return '\n'.join(lines) + '\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--archs', nargs='+', default=['t', 'm'])
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--repeats', type=int, default=9)
    parser.add_argument('--data-root', default=str(ROOT / 'data/demo'))
    parser.add_argument('--out', default=str(ROOT / 'benchmarks/results/train_throughput'))
    args = parser.parse_args()
    ensure_demo_dataset(args.data_root)
    results = [summarise(arch, args.batch, *measure(arch, args)) for arch in args.archs]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out + '.json').write_text(json.dumps(results, indent=2))
    text = markdown(results, args)
    Path(args.out + '.md').write_text(text)
    print(text)


if __name__ == '__main__':
    main()

"""Training throughput (images/s, CPU) of our RTMPose vs MMPose's reference, same config, same data, one run.

Both models are built from the same config (`configs/rtmpose-{t,m}_coco.py`): ours in the `rtmpose` scope, the
reference in the `mmpose` scope. Both train on the same batches of the demo dataset (real train pipeline, generated
into data/demo/seed0_train1500_val200 when absent) with the config's AdamW optimizer wrapper. Two parts are timed,
interleaved over repetitions, and reported as medians:

- data: producing one training sample with the config's train pipeline (GenerateTarget uses each side's codec);
- step: one `train_step` (data preprocessor, forward, loss, backward, AdamW update) on a fixed batch.

Further sides of ours, each against the same float32 MMPose run (only their step is timed: their data part is
ours, the same dataset and pipeline code):

- ``ours_bf16``: the project's ``BF16OptimWrapper`` (bfloat16 autocast on the CPU; the demo config trains this way).
  MMPose users cannot do that on a CPU today (mmengine's ``AmpOptimWrapper`` runs on GPUs only). On a CPU without
  native bfloat16 the wrapper trains in float32 and says so.
- ``ours_bf16_cl``: the same with the model in channels-last memory format (``ChannelsLastHook``, as the demo config).
- ``ours_bf16_cl_compiled``: that, with the network (``backbone.forward`` and ``head.forward``) compiled by
  ``torch.compile`` (inductor; the first step, which compiles, is timed apart as ``compile_s``). mmengine's
  ``compile=True`` config option compiles all of ``train_step`` instead, which Dynamo cannot trace here (it stops
  at the deep copy of a data sample's metainfo): compiling the modules is what a user can do.

Usage: python benchmarks/train_throughput.py [--archs t m] [--batch 16] [--steps 5] [--repeats 9] [--sides ...]
Writes benchmarks/results/train_throughput.{json,md}.
"""
import argparse
import copy
import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope
from mmpose.registry import DATASETS

import rtmpose.registry  # noqa: F401  (creates the rtmpose scope)
from rtmpose.engine.hooks.channels_last_hook import ChannelsLastHook
from rtmpose.hub.openmmlab import build_rtmpose_model
from rtmpose.synthetic import ensure_demo_dataset

ROOT = Path(__file__).resolve().parents[1]


class Side(NamedTuple):
    scope: str  # registry scope the model comes from
    wrapper: str | None = None  # optimizer wrapper type replacing the config's; None keeps it
    channels_last: bool = False
    compiled: bool = False


SIDES = {'ours': Side('rtmpose'), 'ours_bf16': Side('rtmpose', 'BF16OptimWrapper'),
         'ours_bf16_cl': Side('rtmpose', 'BF16OptimWrapper', channels_last=True),
         'ours_bf16_cl_compiled': Side('rtmpose', 'BF16OptimWrapper', channels_last=True, compiled=True),
         'mmpose': Side('mmpose')}
TIMED_DATA = ('ours', 'mmpose')  # the other sides use ours' dataset


def build(arch: str, side: Side, data_root: str):
    cfg = Config.fromfile(str(ROOT / f'configs/rtmpose-{arch}_coco.py'))
    if side.wrapper is not None:
        cfg.optim_wrapper.type = side.wrapper
    ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    ds_cfg.update(type='CocoDataset', data_root=data_root, ann_file='annotations/person_keypoints_train.json',
                  data_prefix=dict(img='train/'))
    torch.manual_seed(0)
    model = build_rtmpose_model(cfg, scope=side.scope).train()
    with DefaultScope.overwrite_default_scope(side.scope):
        dataset = DATASETS.build(ds_cfg)
        optim = build_optim_wrapper(model, cfg.optim_wrapper)
    return model, dataset, optim


def prepare(model, side: Side, state: dict, batch: dict, optim) -> float:
    """Load ``state`` into ``model``, lay it out / compile it as ``side`` says; the compile seconds (first step)."""
    model.load_state_dict(state)
    if side.channels_last:
        ChannelsLastHook().before_run(SimpleNamespace(model=model))
    if not side.compiled:
        return 0.
    model.backbone.forward = torch.compile(model.backbone.forward)
    model.head.forward = torch.compile(model.head.forward)
    start = time.perf_counter()
    model.train_step(batch, optim)
    return time.perf_counter() - start


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


def measure(arch: str, args: argparse.Namespace) -> tuple[dict, dict, dict]:
    """Per-repetition data and step seconds per image of every side, the sides alternating who goes first; and the
    compile seconds of compiled sides."""
    names = ['ours', *[n for n in args.sides if n not in ('ours', 'mmpose')], 'mmpose']
    sides = {name: build(arch, SIDES[name], args.data_root + '/') for name in names}
    torch.manual_seed(0)
    batch = pseudo_collate([sides['ours'][1][i] for i in range(args.batch)])
    state = sides['ours'][0].state_dict()
    compile_s = {name: prepare(sides[name][0], SIDES[name], state, batch, sides[name][2]) for name in names[1:]}
    data_t = {name: [] for name in TIMED_DATA}
    step_t = {name: [] for name in sides}
    for rep in range(args.repeats):
        for name in (names if rep % 2 == 0 else names[::-1]):
            model, dataset, optim = sides[name]
            if name in data_t:
                data_t[name].append(time_data(dataset, list(range(rep * 64, rep * 64 + 64))))
            step_t[name].append(time_steps(model, optim, batch, args.steps) / args.batch)
            print(f'rtmpose-{arch} {name:21s} rep {rep + 1}/{args.repeats}: step {step_t[name][-1] * 1e3:.1f} '
                  f'ms/img' + (f', data {data_t[name][-1] * 1e3:.2f} ms/img' if name in data_t else ''), flush=True)
    for name in sides:
        data_t.setdefault(name, data_t['ours'])
    return data_t, step_t, {name: s for name, s in compile_s.items() if SIDES[name].compiled}


def summarise(arch: str, batch: int, data_t: dict, step_t: dict, compile_s: dict) -> dict:
    """Medians per side, and ratios (> 1: ours faster) per repetition, where both sides ran back to back, with
    their median and range: ``ratio_step`` / ``ratio_data`` / ``ratio_end_to_end`` for float32 ``ours``,
    ``ratio_<side>_step`` / ``ratio_<side>_end_to_end`` for the others."""
    row = dict(model=f'rtmpose-{arch}', batch=batch)
    for name in step_t:
        d, s = statistics.median(data_t[name]), statistics.median(step_t[name])
        row[name] = dict(data_ms_per_img=d * 1e3, step_ms_per_img=s * 1e3, step_img_per_s=1 / s,
                         end_to_end_img_per_s=1 / (d + s))
        if name in compile_s:
            row[name]['compile_s'] = compile_s[name]
    per_rep = {'data': [m / o for o, m in zip(data_t['ours'], data_t['mmpose'])]}
    for name in step_t:
        if name != 'mmpose':
            key = '' if name == 'ours' else f'{name[len("ours_"):]}_'
            per_rep[f'{key}step'] = [m / o for o, m in zip(step_t[name], step_t['mmpose'])]
            per_rep[f'{key}end_to_end'] = end_to_end(data_t, step_t, name)
    for key, ratios in per_rep.items():
        row[f'ratio_{key}'] = statistics.median(ratios)
        row[f'ratio_{key}_range'] = [min(ratios), max(ratios)]
    return row


def compile_cell(side: dict) -> str:
    return f"{side['compile_s']:.0f}" if 'compile_s' in side else '-'


def markdown(results: list[dict], args: argparse.Namespace) -> str:
    lines = ['| model | ours train step img/s | MMPose img/s | ratio (step) | data ms/img ours / MMPose | ratio (data) '
             '| ratio (end to end) |', '|---|---|---|---|---|---|---|']
    for r in results:
        lines.append(f"| {r['model']} | {r['ours']['step_img_per_s']:.1f} | {r['mmpose']['step_img_per_s']:.1f} | "
                     f"{ratio(r, 'step')} | {r['ours']['data_ms_per_img']:.2f} / {r['mmpose']['data_ms_per_img']:.2f}"
                     f" | {ratio(r, 'data')} | {ratio(r, 'end_to_end')} |")
    lines += ['', '| model | ours side | step img/s | ratio vs MMPose float32 (step) | ratio (end to end) '
              '| compile s |', '|---|---|---|---|---|---|']
    for r in results:
        for name in [n for n in args.sides if n not in ('ours', 'mmpose')]:
            key = name[len('ours_'):]
            lines.append(f"| {r['model']} | `{name}` | {r[name]['step_img_per_s']:.1f} | {ratio(r, f'{key}_step')} | "
                         f"{ratio(r, f'{key}_end_to_end')} | {compile_cell(r[name])} |")
    lines.append(f'\nMedians over {args.repeats} repetitions (batch {args.batch}, {args.steps} timed steps each); '
                 'ratios > 1 mean ours is faster: the median of per-repetition ratios, with their range. Both float32 '
                 'sides run the config as it is; every other side is ours against the same float32 MMPose run: '
                 '`bf16` = `BF16OptimWrapper`, `cl` = channels-last (`ChannelsLastHook`), `compiled` = '
                 '`torch.compile` of the backbone and head (its first step, compiling, is "compile s" and is not in '
                 'the step figures).')
    if getattr(args, 'load', None):
        lines.append(f'\n{os.cpu_count()} CPU cores; load average (1 min) {args.load[0]:.1f} at the start, '
                     f'{args.load[1]:.1f} at the end.')
    lines.append(f'\nCommand: `{command()}`. The PyTorch inference backend eager vs channels-last vs compiled: '
                 '[torch_runtime_speed.md](torch_runtime_speed.md).')
    return '\n'.join(lines) + '\n'


def command() -> str:
    """This run's command line, with the inductor cache setting that makes its compile seconds a cold start."""
    cache = os.environ.get('TORCHINDUCTOR_CACHE_DIR')
    prefix = 'TORCHINDUCTOR_CACHE_DIR=<empty dir> ' if cache else ''
    return prefix + ' '.join(['python', 'benchmarks/train_throughput.py', *sys.argv[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--archs', nargs='+', default=['t', 'm'])
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--repeats', type=int, default=9)
    parser.add_argument('--sides', nargs='+', default=list(SIDES), choices=list(SIDES),
                        help='sides to time (ours and mmpose always run)')
    parser.add_argument('--data-root', default=str(ROOT / 'data/demo/seed0_train1500_val200'))
    parser.add_argument('--out', default=str(ROOT / 'benchmarks/results/train_throughput'))
    args = parser.parse_args()
    ensure_demo_dataset(args.data_root)
    start_load = os.getloadavg()[0]
    results = [summarise(arch, args.batch, *measure(arch, args)) for arch in args.archs]
    args.load = (start_load, os.getloadavg()[0])
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out + '.json').write_text(json.dumps(results, indent=2))
    text = markdown(results, args)
    Path(args.out + '.md').write_text(text)
    print(text)


if __name__ == '__main__':
    main()

"""Training throughput of the demo config with 2 processes of 1 thread vs 1 process of 2 threads (CPU, gloo).

Each run is a real `mim train` (1 process) or `tools/dist_train.sh` (torchrun, N processes) of
`configs/rtmpose-t_demo.py` for one epoch over ``--images`` demo images at the same global batch (16: 1 x 16 or
2 x 8), RTMPose-t as configured or RTMPose-m (the demo's 3-stage backbone at the m depth and width). The logged
per-iteration ``time`` (data + step, rank 0) and ``data_time`` are read from the run's ``vis_data/scalars.json``;
medians over the iterations after the first ``--warmup`` ones. The runs are repeated ``--repeats`` times, interleaved,
and the fastest repetition of each is kept (the least disturbed by other work on a shared machine).

Usage: python benchmarks/dist_scaling.py [--archs t m] [--images 320] [--warmup 3] [--repeats 2]
Writes benchmarks/results/dist_scaling.{json,md}.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = str(ROOT / 'configs/rtmpose-t_demo.py')
MIM = str(Path(sys.executable).with_name('mim'))
GLOBAL_BATCH = 16
# RTMPose-m on the demo's 3-stage backbone: m's depth and width; the head reads stage 3 (512 x 0.75 channels)
ARCH_OPTIONS = {
    't': [],
    'm': ['model.backbone.deepen_factor=0.67', 'model.backbone.widen_factor=0.75', 'model.head.in_channels=384'],
}
# layout name -> (processes, threads per process)
LAYOUTS = {'1 process x 2 threads': (1, 2), '2 processes x 1 thread': (2, 1)}


def options(data_root: Path, images: int, procs: int, arch: str) -> list[str]:
    demo = [f'{loader}.dataset.{key}' for loader in ('train_dataloader', 'val_dataloader')
            for key in (f'data_root={data_root}/', f'demo_cfg.num_train={images}', 'demo_cfg.num_val=2')]
    return demo + [
        f'val_evaluator.ann_file={data_root}/annotations/person_keypoints_val.json',
        f'train_dataloader.batch_size={GLOBAL_BATCH // procs}', 'train_cfg.max_epochs=1', 'train_cfg.val_begin=2',
        'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=9', *ARCH_OPTIONS[arch],
    ]


def train(work_dir: Path, data_root: Path, images: int, procs: int, threads: int, arch: str) -> list[dict]:
    """Run one training epoch; returns the per-iteration records of rank 0's ``scalars.json``."""
    opts = options(data_root, images, procs, arch)
    if procs == 1:
        cmd = [MIM, 'train', 'mmpose', CONFIG, '--work-dir', str(work_dir), '--cfg-options', *opts]
    else:
        cmd = ['bash', str(ROOT / 'tools/dist_train.sh'), CONFIG, str(procs), '--work-dir', str(work_dir),
               '--cfg-options', *opts]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), PYTHON=sys.executable, PORT='29531')
    done = subprocess.run(cmd, cwd=work_dir.parent, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f'{" ".join(cmd[:4])} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}')
    (scalars, ) = work_dir.glob('*/vis_data/scalars.json')
    return [r for r in map(json.loads, scalars.read_text().splitlines()) if 'loss' in r]


def measure(arch: str, layout: str, data_root: Path, images: int, warmup: int) -> dict:
    procs, threads = LAYOUTS[layout]
    with tempfile.TemporaryDirectory() as tmp:
        records = train(Path(tmp) / 'wd', data_root, images, procs, threads, arch)[warmup:]
    step = statistics.median(r['time'] for r in records)
    data = statistics.median(r['data_time'] for r in records)
    return dict(arch=arch, layout=layout, iterations=len(records), iter_s=round(step, 4), data_s=round(data, 4),
                samples_per_s=round(GLOBAL_BATCH / step, 1))


def write(rows: list[dict], images: int) -> None:
    out = ROOT / 'benchmarks/results/dist_scaling'
    out.with_suffix('.json').write_text(json.dumps(rows, indent=2) + '\n')
    lines = ['# Distributed training on this CPU: 2 processes x 1 thread vs 1 process x 2 threads', '',
             f'`python benchmarks/dist_scaling.py` (configs/rtmpose-t_demo.py, {images} demo images, global batch '
             f'{GLOBAL_BATCH}, gloo; medians over the iterations after warm-up, fastest of the interleaved '
             'repetitions; `time` and `data_time` as mmengine logs them on rank 0).', '',
             '| model | layout | samples/s | s/iteration | of which data loading (s) | speed-up |',
             '|---|---|---|---|---|---|']
    base = {r['arch']: r['samples_per_s'] for r in rows if r['layout'] == next(iter(LAYOUTS))}
    for r in rows:
        lines.append(f"| rtmpose-{r['arch']} | {r['layout']} | {r['samples_per_s']} | {r['iter_s']} | {r['data_s']} "
                     f"| {r['samples_per_s'] / base[r['arch']]:.2f}x |")
    out.with_suffix('.md').write_text('\n'.join(lines) + '\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--archs', nargs='+', default=['t', 'm'], choices=sorted(ARCH_OPTIONS))
    parser.add_argument('--images', type=int, default=320, help='demo training images (one epoch)')
    parser.add_argument('--warmup', type=int, default=3, help='iterations left out of the medians')
    parser.add_argument('--repeats', type=int, default=2, help='interleaved repetitions; the fastest is kept')
    args = parser.parse_args()
    data_root = Path(tempfile.mkdtemp(prefix='dist_scaling_')) / 'demo'
    runs = [(arch, layout) for arch in args.archs for layout in LAYOUTS]
    try:
        tries = [measure(arch, layout, data_root, args.images, args.warmup) for _ in range(args.repeats)
                 for arch, layout in runs]
    finally:
        shutil.rmtree(data_root.parent)
    rows = [max((r for r in tries if (r['arch'], r['layout']) == run), key=lambda r: r['samples_per_s'])
            for run in runs]
    for row in rows:
        print(row)
    write(rows, args.images)


if __name__ == '__main__':
    main()

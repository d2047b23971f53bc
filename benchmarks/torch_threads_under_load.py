"""Torch-runtime pose FPS with and without another process loading the CPU, for thread settings.

    python benchmarks/torch_threads_under_load.py [--seconds 8] [--config configs/rtmpose-t_coco.py]

Each setting runs in a fresh interpreter (OpenMP reads its wait policy when torch loads): the RTMPose model of
``--config`` (random weights) on :class:`rtmpose.backends.torch_backend.TorchBackend`, one crop per call, for
``--seconds``; once on an idle machine and once beside a process that keeps one core busy. Prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: (label, runtime threads ('cores': one per CPU, torch's own default; 'runtime-default': TorchBackend's), extra env)
SETTINGS = [
    ('one thread per core (torch default), OpenMP default wait', 'cores', {}),
    ('threads=1', 1, {}),
    ('one thread per core, OMP_WAIT_POLICY=PASSIVE', 'cores', {'OMP_WAIT_POLICY': 'PASSIVE'}),
    ('TorchBackend default (threads not given)', 'runtime-default', {}),
]

_MEASURE = '''
import json, sys, time
import numpy as np
from rtmpose.hub.openmmlab import build_rtmpose_model
from rtmpose.hub.openmmlab import SimCCNet
from rtmpose.backends.torch_backend import TorchBackend
config, threads, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
model = build_rtmpose_model(config)
w, h = model.head.decoder.input_size
import os
kwargs = {} if threads == 'runtime-default' else {'threads': os.cpu_count() if threads == 'cores' else int(threads)}
runtime = TorchBackend(SimCCNet(model), (1, 3, h, w), ('simcc_x', 'simcc_y'), config, **kwargs)
x = np.random.default_rng(0).standard_normal((1, 3, h, w)).astype(np.float32)
for _ in range(3):
    runtime(x)
n, start = 0, time.perf_counter()
while time.perf_counter() - start < seconds:
    runtime(x)
    n += 1
import torch
print(json.dumps(dict(fps=n / (time.perf_counter() - start), threads=torch.get_num_threads())))
'''


def measure(config: str, threads, env: dict, seconds: float) -> dict:
    run = subprocess.run([sys.executable, '-c', _MEASURE, config, str(threads), str(seconds)], cwd=REPO,
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=seconds * 20 + 120)
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/rtmpose-t_coco.py')
    parser.add_argument('--seconds', type=float, default=8.0)
    parser.add_argument('--settings', type=int, nargs='+', help='indices into SETTINGS to run (default: all)')
    args = parser.parse_args(argv)
    rows = []
    for label, threads, env in [SETTINGS[i] for i in args.settings] if args.settings else SETTINGS:
        idle = measure(args.config, threads, env, args.seconds)
        load = subprocess.Popen([sys.executable, '-c', 'while True: pass'])
        try:
            time.sleep(0.5)
            loaded = measure(args.config, threads, env, args.seconds)
        finally:
            load.kill()
            load.wait()
        rows.append(f'| {label} | {idle["threads"]} | {idle["fps"]:.1f} | {loaded["fps"]:.1f} |')
        print(rows[-1], flush=True)
    print(f'\n{args.config}, {os.cpu_count()} CPUs, {args.seconds:.0f} s per run, one crop per call\n')
    print('| setting | torch threads | FPS idle | FPS beside a busy process |\n|---|---|---|---|')
    print('\n'.join(rows))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

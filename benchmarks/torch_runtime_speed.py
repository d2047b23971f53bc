"""PyTorch inference backend: crops/s of the RTMPose network eager vs channels-last vs ``torch.compile``, one run.

Each model (``configs/rtmpose-{t,m}_coco.py``, random weights, eval mode) runs on
:class:`rtmpose.backends.torch_backend.TorchBackend` (its default: one thread) at batch 1 and batch 8, in three forms
built from the same weights:

- ``eager``: the module with its weights in the default (NCHW, contiguous) memory format;
- ``channels_last``: the same weights in ``torch.channels_last`` (NHWC) memory format (TorchBackend's default);
- ``compiled``: ``torch.compile`` (inductor) of the eager module; its first call, which compiles, is timed apart.

The forms alternate within each repetition (the order reversed every other one) and the medians of crops/s are
reported with each form's ratio to eager and the largest absolute difference of its outputs (SimCC x/y vectors)
from eager's on the same input.

Usage: python benchmarks/torch_runtime_speed.py [--archs t m] [--batches 1 8] [--seconds 2] [--repeats 5]
Writes benchmarks/results/torch_runtime_speed.{json,md}.
"""
import argparse
import copy
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from rtmpose.backends.torch_backend import TorchBackend
from rtmpose.hub.openmmlab import SimCCNet, build_rtmpose_model

ROOT = Path(__file__).resolve().parents[1]
FORMS = ('eager', 'channels_last', 'compiled')


def runtimes(arch: str) -> tuple[dict[str, TorchBackend], tuple[int, int]]:
    """The three forms of RTMPose-``arch`` on TorchBackend, and the input size (w, h)."""
    config = str(ROOT / f'configs/rtmpose-{arch}_coco.py')
    torch.manual_seed(0)
    model = build_rtmpose_model(config)
    w, h = model.head.decoder.input_size
    net = SimCCNet(model).eval()
    layouts = {'eager': torch.contiguous_format, 'channels_last': torch.channels_last,
               'compiled': torch.contiguous_format}
    forms = {}
    for name, layout in layouts.items():
        runtime = TorchBackend(copy.deepcopy(net), ('batch', 3, h, w), ('simcc_x', 'simcc_y'), config)
        runtime.module.to(memory_format=layout)  # whatever layout the runtime chose by default
        if name == 'compiled':
            runtime.module = torch.compile(runtime.module)
        forms[name] = runtime
    return forms, (w, h)


def crops_per_s(runtime: TorchBackend, x: np.ndarray, seconds: float) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        runtime(x)
        n += 1
    return n * len(x) / (time.perf_counter() - start)


def measure(arch: str, batch: int, forms: dict[str, TorchBackend], size: tuple[int, int],
            args: argparse.Namespace) -> dict:
    """Crops/s medians per form at ``batch``, ratio to eager (median of per-repetition ratios, range), output
    differences and first-call (compile) seconds."""
    x = np.random.default_rng(0).standard_normal((batch, 3, size[1], size[0])).astype(np.float32)
    row = dict(model=f'rtmpose-{arch}', batch=batch, first_call_s={}, max_abs_diff={})
    reference = forms['eager'](x)
    for name, runtime in forms.items():
        start = time.perf_counter()
        outputs = runtime(x)
        row['first_call_s'][name] = time.perf_counter() - start
        row['max_abs_diff'][name] = max(float(np.abs(a - b).max()) for a, b in zip(outputs, reference))
    speeds = {name: [] for name in forms}
    for rep in range(args.repeats):
        for name in (FORMS if rep % 2 == 0 else FORMS[::-1]):
            speeds[name].append(crops_per_s(forms[name], x, args.seconds))
        print(f'rtmpose-{arch} batch {batch} rep {rep + 1}: ' +
              ', '.join(f'{n} {speeds[n][-1]:.1f}' for n in FORMS), flush=True)
    row['crops_per_s'] = {name: statistics.median(v) for name, v in speeds.items()}
    for name in FORMS[1:]:
        ratios = [a / b for a, b in zip(speeds[name], speeds['eager'])]
        row[f'ratio_{name}'] = statistics.median(ratios)
        row[f'ratio_{name}_range'] = [min(ratios), max(ratios)]
    return row


def markdown(rows: list[dict], args: argparse.Namespace) -> str:
    lines = ['| model | batch | eager crops/s | channels-last crops/s | ratio | max abs diff | compiled crops/s | '
             'ratio | max abs diff | compile s |', '|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        cells = [r['model'], str(r['batch']), f"{r['crops_per_s']['eager']:.1f}"]
        for name in FORMS[1:]:
            low, high = r[f'ratio_{name}_range']
            cells += [f"{r['crops_per_s'][name]:.1f}", f"{r[f'ratio_{name}']:.2f}x ({low:.2f}-{high:.2f})",
                      f"{r['max_abs_diff'][name]:.1e}"]
        cells.append(f"{r['first_call_s']['compiled']:.0f}")
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines.append(f'\nTorchRuntime with its default one thread; medians over {args.repeats} repetitions of '
                 f'{args.seconds:g} s per form; ratios > 1: faster than eager (median of per-repetition ratios, '
                 'range). "max abs diff": largest difference of the SimCC outputs from eager\'s on the same input. '
                 '"compile s": the compiled form\'s first call at that batch size (inductor compiles each new shape).')
    return '\n'.join(lines) + '\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--archs', nargs='+', default=['t', 'm'])
    parser.add_argument('--batches', nargs='+', type=int, default=[1, 8])
    parser.add_argument('--seconds', type=float, default=2.)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--out', default=str(ROOT / 'benchmarks/results/torch_runtime_speed'))
    args = parser.parse_args()
    rows = []
    for arch in args.archs:
        forms, size = runtimes(arch)
        rows += [measure(arch, batch, forms, size, args) for batch in args.batches]
    Path(args.out + '.json').write_text(json.dumps(rows, indent=2))
    text = markdown(rows, args)
    Path(args.out + '.md').write_text(text)
    print(text)


if __name__ == '__main__':
    main()

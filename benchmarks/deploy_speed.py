"""CPU latency of deployed RTMPose: our export vs MMPose's reference exported by MMDeploy, INT8, and ncnn.

    python benchmarks/deploy_speed.py [--archs t s m l] [--rounds-b1 20] [--rounds-b8 8] [--out benchmarks/results]

For each of RTMPose-t/s/m/l (256x192), one set of weights is made: our config with a fixed seed, a random backbone
and a head fitted to the real COCO crops (``rtmpose.testing.head_fit``; no official weights can be downloaded here),
saved as a checkpoint. From it:

- ``ours``: our classes, converted by ``tools/deploy.py``'s pipeline (ONNX Runtime, dynamic batch);
- ``ref``: MMPose's reference classes built from the same config and checkpoint, converted by MMDeploy with its
  own rewriters (the official route), same deploy config;
- ``int8``: ``ours`` statically quantised (``rtmpose.deploy.ort_int8``), calibrated on crops of the detector boxes
  of ``test_coco_det_AP_H_56.json`` and evaluated on the ground-truth crops;
- ``ncnn`` FP32 and FP16 (ours, pnnx).

Every model runs on the ``rtmpose.backends`` object the inference pipeline uses, opened as deploy verification opens
it (``rtmpose.deploy.artifacts.open_converted``): ONNX Runtime on the CPU execution provider with 1 intra-op and 1
inter-op thread and ``allow_spinning=True`` (ONNX Runtime's default, which these timings have always used; the
pipeline turns it off), ncnn with 1 thread. Each comparison (ours vs ref, ours vs INT8, ncnn FP32 vs FP16) is timed
as a pair in interleaved rounds, the order alternating, for at least ``--rounds-*`` rounds and ``--min-seconds``;
latencies are medians, and ratios are medians of the per-round ratios, so slow phases of a noisy machine hit both
sides of a ratio alike. Parity: ``ours`` vs ``ref``
SimCC outputs, INT8 and ncnn keypoints vs ``ours`` FP32 in input pixels (mean / max over the 14 x 17 keypoints).

Writes ``deploy_speed.json``, ``deploy_speed.md`` and ``deploy_speed.png`` to ``--out``.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
POSE_CONFIGS = REPO / 'deploy_configs' / 'pose'


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--archs', nargs='+', default=['t', 's', 'm', 'l'], choices=['t', 's', 'm', 'l'])
    parser.add_argument('--rounds-b1', type=int, default=30, help='timed rounds at batch 1')
    parser.add_argument('--rounds-b8', type=int, default=8, help='timed rounds at batch 8')
    parser.add_argument('--min-seconds', type=float, default=5.0,
                        help='time each comparison for at least this long (more rounds for fast models)')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--out', type=Path, default=REPO / 'benchmarks' / 'results')
    parser.add_argument('--coco-dir', type=Path,
                        default=Path(os.environ.get('RTMPOSE_SHARED', REPO.parent / 'shared')) / 'data' / 'coco')
    parser.add_argument('--work-dir', type=Path, help='where the converted models go (default: a temporary dir)')
    return parser.parse_args(argv)


def operator_sequence(onnx_file: str | Path) -> list[str]:
    """The operator types of an ONNX graph's nodes, in order."""
    import onnx
    return [node.op_type for node in onnx.load(str(onnx_file), load_external_data=False).graph.node]


def convert(arch: str, crops, calibration, work_dir: Path, coco_dir: Path) -> dict:
    """Fit the peaked checkpoint of RTMPose-``arch`` and convert it every way compared; returns the PyTorch model
    (``'model'``), the :class:`~rtmpose.deploy.artifacts.Artifacts` of ``'ours'``, ``'ref'``, ``'FP32'`` and
    ``'FP16'`` (ncnn), and the INT8 ONNX file (``'int8'``)."""
    from mmengine.config import Config

    from rtmpose.deploy.ort_int8 import quantize_int8
    from rtmpose.deploy.pipeline import deploy
    from rtmpose.testing.head_fit import peaked_checkpoint

    model_cfg = REPO / 'configs' / f'rtmpose-{arch}_coco.py'
    image = str(coco_dir / '000000000785.jpg')
    checkpoint = work_dir / f'rtmpose-{arch}.pth'
    model = peaked_checkpoint(Config.fromfile(model_cfg), crops.inputs, crops.keypoints, checkpoint)
    dynamic = str(POSE_CONFIGS / 'pose-detection_simcc_onnxruntime_dynamic-256x192.py')
    ours = deploy(dynamic, str(model_cfg), str(checkpoint), image, work_dir / f'{arch}-ours')
    ref = deploy(dynamic, str(model_cfg), str(checkpoint), image, work_dir / f'{arch}-ref', scope='mmpose')
    ncnn = {precision: deploy(str(POSE_CONFIGS / f'pose-detection_simcc_ncnn{suffix}_static-256x192.py'),
                              str(model_cfg), str(checkpoint), image, work_dir / f'{arch}-ncnn{suffix}')
            for precision, suffix in (('FP32', ''), ('FP16', '-fp16'))}
    int8_file = quantize_int8(ours.onnx, work_dir / f'{arch}-int8.onnx', calibration.inputs)
    return dict(model=model, ours=ours, ref=ref, int8=int8_file, **ncnn)


def measure_parity(converted: dict, runtimes: dict, inputs: np.ndarray) -> dict:
    """Keypoint parity of ``ref``, INT8 and ncnn against ``ours`` FP32 on ``inputs``, and ours vs ref's graphs."""
    from rtmpose.deploy.artifacts import named_outputs
    from rtmpose.testing.parity import compare, keypoints_and_scores

    decoder = converted['model'].head.decoder
    ours, ref = converted['ours'], converted['ref']
    outputs = {name: named_outputs(runtimes[name], inputs) for name in ('ours', 'ref', 'int8')}
    fp32 = keypoints_and_scores(outputs['ours'], decoder)
    parity = {
        'ours_vs_ref_same_operators': operator_sequence(ours.onnx) == operator_sequence(ref.onnx),
        'ours_vs_ref_max_abs_simcc': max(float(np.abs(outputs['ours'][k] - outputs['ref'][k]).max())
                                         for k in ('simcc_x', 'simcc_y')),
        'ours_vs_ref': compare(keypoints_and_scores(outputs['ref'], decoder), fp32).as_dict(),
        'int8_vs_fp32': compare(fp32, keypoints_and_scores(outputs['int8'], decoder)).as_dict(),
    }
    for precision in ('FP32', 'FP16'):
        ncnn = converted[precision].outputs(runtimes[precision], inputs)
        parity[f'ncnn_{precision.lower()}_vs_fp32'] = compare(fp32, keypoints_and_scores(ncnn, decoder)).as_dict()
    return parity


def measure_latency(runtimes: dict, inputs: np.ndarray, args: argparse.Namespace) -> dict:
    """Median latencies and paired ratios: ours vs ref and ours vs INT8 at batch 1 and 8, ncnn FP32 vs FP16."""
    from rtmpose.deploy.timing import interleaved_times, paired_ratio

    x1, x8 = inputs[:1], inputs[:8]
    latency = {}
    for batch, x, rounds in ((1, x1, args.rounds_b1), (8, x8, args.rounds_b8)):
        # two separate pairs, so that in each pair both models follow each other equally often
        pairs = [interleaved_times({name: (lambda m=runtimes[name], x=x: m(x)) for name in pair}, rounds, args.warmup,
                                   args.min_seconds) for pair in (('ours', 'ref'), ('ours', 'int8'))]
        latency[f'b{batch}'] = dict(ours_ms=statistics.median(pairs[0]['ours']),
                                    ref_ms=statistics.median(pairs[0]['ref']),
                                    fp32_ms=statistics.median(pairs[1]['ours']),
                                    int8_ms=statistics.median(pairs[1]['int8']),
                                    ratio_ours_ref=paired_ratio(pairs[0]['ours'], pairs[0]['ref']),
                                    int8_speedup=paired_ratio(pairs[1]['ours'], pairs[1]['int8']),
                                    rounds=[len(pair['ours']) for pair in pairs])
    ncnn_times = interleaved_times({p: (lambda m=runtimes[p]: m(x1)) for p in ('FP32', 'FP16')}, args.rounds_b1,
                                   args.warmup, args.min_seconds)
    latency['ncnn_b1'] = {f'{p.lower()}_ms': statistics.median(v) for p, v in ncnn_times.items()}
    return latency


def benchmark_arch(arch: str, args: argparse.Namespace, crops, calibration, work_dir: Path, log) -> dict:
    from rtmpose.deploy.artifacts import open_converted

    started = time.perf_counter()
    converted = convert(arch, crops, calibration, work_dir, args.coco_dir)
    log(f'  converted in {time.perf_counter() - started:.0f} s')
    runtimes = {name: open_converted('onnxruntime', [file], allow_spinning=True) for name, file in (
        ('ours', converted['ours'].onnx), ('ref', converted['ref'].onnx), ('int8', converted['int8']))}
    runtimes.update({p: converted[p].open_backend() for p in ('FP32', 'FP16')})
    parity = measure_parity(converted, runtimes, crops.inputs)
    latency = measure_latency(runtimes, crops.inputs, args)
    b1, b8, ncnn = latency['b1'], latency['b8'], latency['ncnn_b1']
    log(f'  b1 ours {b1["ours_ms"]:.1f} ms, ref {b1["ref_ms"]:.1f} ms, int8 {b1["int8_ms"]:.1f} ms; b8 ours '
        f'{b8["ours_ms"]:.1f} ms, ref {b8["ref_ms"]:.1f} ms; ncnn {ncnn["fp32_ms"]:.1f} / {ncnn["fp16_ms"]:.1f} ms')
    return dict(arch=arch, latency=latency, parity=parity)


def cpu_name() -> str:
    for line in Path('/proc/cpuinfo').read_text().splitlines() if Path('/proc/cpuinfo').is_file() else []:
        if line.startswith('model name'):
            return line.split(':', 1)[1].strip()
    return platform.processor() or platform.machine()


def markdown(results: list[dict], meta: dict) -> str:
    lines = [
        '# Deployed RTMPose on the CPU (256x192, 1 thread)', '',
        f'Machine: {meta["machine"]}; ONNX Runtime {meta["onnxruntime"]}, ncnn {meta["ncnn"]}, torch {meta["torch"]}. '
        f'Medians of at least {meta["rounds_b1"]} (batch 1) / {meta["rounds_b8"]} (batch 8) interleaved rounds and '
        f'{meta["min_seconds"]:.0f} s per comparison (ratios: medians of per-round ratios); total run '
        f'{meta["seconds"]:.0f} s; load average (1, 5, 15 min) before / after: {meta["load_before"]} / '
        f'{meta["load_after"]} (other jobs on the machine slow the models unevenly: run it on a quiet machine). '
        'Weights: random backbone + head fitted to the COCO crops (same weights for all).',
        '', '## ONNX Runtime: ours vs MMPose reference exported by MMDeploy, and INT8', '',
        '| model | batch | ours (ms) | ref (ms) | ours/ref | ours FP32 (ms) | INT8 (ms) | FP32/INT8 | '
        'INT8 mean / max err (px) |', '|---|---|---|---|---|---|---|---|---|'
    ]
    for r in results:
        p = r['parity']['int8_vs_fp32']
        for b in ('b1', 'b8'):
            lat = r['latency'][b]
            lines.append(f'| RTMPose-{r["arch"]} | {b[1:]} | {lat["ours_ms"]:.1f} | {lat["ref_ms"]:.1f} | '
                         f'{lat["ratio_ours_ref"]:.3f} | {lat["fp32_ms"]:.1f} | {lat["int8_ms"]:.1f} | '
                         f'{lat["int8_speedup"]:.2f}x | {p["mean_px"]:.2f} / {p["max_px"]:.1f} |')
    lines += ['', 'ours vs ref and ours FP32 vs INT8 are timed as separate interleaved pairs; the ratios are medians '
              'of per-round ratios within a pair.']
    lines += ['', '## Parity with our FP32 ONNX Runtime model (14 crops x 17 keypoints, input pixels)', '',
              '| model | ours vs ref: same operator sequence | ours vs ref: max abs SimCC diff | '
              'ncnn FP32 mean / max (px) | ncnn FP16 mean / max (px) | ncnn FP32 b1 (ms) | ncnn FP16 b1 (ms) |',
              '|---|---|---|---|---|---|---|']
    for r in results:
        p, n = r['parity'], r['latency']['ncnn_b1']
        same = 'yes' if p['ours_vs_ref_same_operators'] else 'no'
        lines.append(f'| RTMPose-{r["arch"]} | {same} | {p["ours_vs_ref_max_abs_simcc"]:.1e} | '
                     f'{p["ncnn_fp32_vs_fp32"]["mean_px"]:.2f} / {p["ncnn_fp32_vs_fp32"]["max_px"]:.1f} | '
                     f'{p["ncnn_fp16_vs_fp32"]["mean_px"]:.2f} / {p["ncnn_fp16_vs_fp32"]["max_px"]:.1f} | '
                     f'{n["fp32_ms"]:.1f} | {n["fp16_ms"]:.1f} |')
    lines += ['', 'ncnn FP16 on x86 means fp16 storage (weights and blobs); fp16 arithmetic needs ARMv8.2.', '']
    return '\n'.join(lines)


def plot(results: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    archs = [f'RTMPose-{r["arch"]}' for r in results]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for ax, batch in zip(axes[:2], ('b1', 'b8')):
        pos = np.arange(len(results))
        for i, (key, label) in enumerate((('ref_ms', 'MMPose ref (MMDeploy)'), ('ours_ms', 'ours'),
                                          ('int8_ms', 'ours INT8'))):
            values = [r['latency'][batch][key] for r in results]
            bars = ax.bar(pos + (i - 1) * 0.27, values, 0.27, label=label)
            ax.bar_label(bars, fmt='%.0f', fontsize=7)
        ax.set_xticks(pos, archs)
        ax.set_ylabel('median latency (ms)')
        ax.set_title(f'ONNX Runtime CPU, 1 thread, batch {batch[1:]}')
        ax.legend(fontsize=8)
    ax = axes[2]
    pos = np.arange(len(results))
    for i, (key, label) in enumerate((('fp32_ms', 'ncnn FP32'), ('fp16_ms', 'ncnn FP16'))):
        bars = ax.bar(pos + (i - 0.5) * 0.35, [r['latency']['ncnn_b1'][key] for r in results], 0.35, label=label)
        ax.bar_label(bars, fmt='%.0f', fontsize=7)
    ax.set_xticks(pos, archs)
    ax.set_title('ncnn CPU, 1 thread, batch 1')
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.coco_dir / 'test_coco.json').is_file():
        print(f'error: no test_coco.json in {args.coco_dir} (pass --coco-dir or set RTMPOSE_SHARED)', file=sys.stderr)
        return 2
    started = time.perf_counter()
    import onnxruntime
    import torch

    from rtmpose.backends.ncnn_backend import import_ncnn
    from rtmpose.testing.coco_crops import load_detection_crops, load_person_crops

    ncnn = import_ncnn()

    torch.set_num_threads(1)
    load_before = [round(x, 2) for x in os.getloadavg()]
    crops = load_person_crops(args.coco_dir)
    calibration = load_detection_crops(args.coco_dir)
    log = lambda message: print(message, flush=True)  # noqa: E731
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        work_dir = args.work_dir or Path(scratch)
        work_dir.mkdir(parents=True, exist_ok=True)
        for arch in args.archs:
            log(f'RTMPose-{arch}')
            results.append(benchmark_arch(arch, args, crops, calibration, work_dir, log))
    meta = dict(machine=f'{cpu_name()}, {os.cpu_count()} cores',
                onnxruntime=onnxruntime.__version__, ncnn=ncnn.__version__, torch=torch.__version__,
                rounds_b1=args.rounds_b1, rounds_b8=args.rounds_b8, min_seconds=args.min_seconds,
                seconds=time.perf_counter() - started, load_before=load_before,
                load_after=[round(x, 2) for x in os.getloadavg()],
                calibration_crops=len(calibration.inputs), evaluation_crops=len(crops.inputs))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / 'deploy_speed.json').write_text(json.dumps(dict(meta=meta, results=results), indent=2))
    (args.out / 'deploy_speed.md').write_text(markdown(results, meta))
    plot(results, args.out / 'deploy_speed.png')
    log(markdown(results, meta))
    return 0


if __name__ == '__main__':
    sys.exit(main())

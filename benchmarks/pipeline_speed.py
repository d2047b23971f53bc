"""Pipeline speed (RTMPose paper, section 3.5): our PoseTracker against rtmlib's ``RTMDet`` + ``RTMPose`` on the
same two ONNX files, CPU, ONNX Runtime (and OpenVINO).

Workload (:mod:`pipeline.workload`): the first ``--frames`` frames of ``shared/video/mmdeploy_arm_wrestling.mp4``
(340x256, ~6 people per frame), decoded into memory first (decoding is not timed). Detector: the official
RTMDet-nano person ONNX (``shared/models/rtmdet-nano-person``). Pose: RTMPose-t and RTMPose-m exported from
``configs/rtmpose-{t,m}_coco.py`` (cached under ``benchmarks/results/.cache/``). No trained RTMPose weights can be
had here, so the exports carry random weights with a *peaked* SimCC output (:class:`rtmpose.testing.PeakedSimCCNet`:
the full RTMPose graph runs - same cost - and one Gaussian peak per keypoint sits at a standing-person layout, moved
by the image-dependent head output), so that poses can be followed between detections as with a trained model.

Methods (all frames, same order, same ``--threads`` threads per model; the first four on the same ONNX files):

- ``ours_det1``: ``PoseTracker(det_interval=1)``: detector every frame, all crops of a frame in one ORT call,
  OKS-NMS, tracking, One-Euro smoothing.
- ``ours_det5``: ``PoseTracker(det_interval=5)``: detector every 5th frame, boxes from the previous poses between.
- ``rtmlib``: ``rtmlib.RTMDet`` + ``rtmlib.RTMPose`` (:mod:`pipeline.rtmlib_peer`), detector every frame, one ORT
  call per crop, no tracking or smoothing, on sessions with rtmlib's settings (default ``SessionOptions``:
  spinning on) and ``intra_op_num_threads`` set to ``--threads``.
- ``rtmlib_our_opts`` (``--no-extra`` skips it): the same rtmlib code on sessions with our options (spinning off),
  which shows how much of the gap is session settings and how much the pipeline.
- ``ours_ov_det1`` / ``ours_ov_det5`` / ``rtmlib_ov`` (``--no-openvino`` skips them): the same ONNX files run by
  OpenVINO in float32: our pipeline with ``backend='openvino'``, and rtmlib on OpenVINO compiled by
  :mod:`rtmpose.runtime` with the same threads and float32 (rtmlib's default would be bfloat16 on a CPU that has
  it).
- ``ours_ov_bf16_det1`` / ``ours_ov_bf16_det5`` / ``rtmlib_ov_default`` (``--no-bf16`` skips them): the same ONNX
  files run by OpenVINO in bfloat16 (on CPUs with AVX512-BF16 or AMX; elsewhere OpenVINO falls back to float32):
  our pipeline with ``precision='bf16'``, and rtmlib's OpenVINO backend as rtmlib compiles it (``PERFORMANCE_HINT:
  LATENCY`` only, so OpenVINO's defaults: all cores, bfloat16 where the CPU has it), with the bf16-vs-f32 keypoint
  distance for the same boxes.
- ``ours_int8_det1`` / ``ours_int8_det5`` (``--no-int8`` skips them): our pipeline on our static INT8 quantisation
  of the same pose ONNX (calibrated on crops of the video), reported apart from the same-file comparison, with the
  INT8-vs-FP32 keypoint distance for the same boxes.

Timing (:mod:`pipeline.harness`) is interleaved: the frames are cut into chunks of ``--chunk`` frames and every
method runs each chunk in turn (rotating the order), keeping its state (tracks) from chunk to chunk, so that load
from other processes on the machine hits all methods alike; a ratio is the ratio of the FPS over all frames.

Compute bound (:mod:`pipeline.compute`): the pose networks' multiply-adds (mmengine's
``get_model_complexity_info``, the count behind the paper's GFLOPs) over the pose stage time give the rate the
network runs at, next to this machine's matrix-multiply rate in float32 and bfloat16 (torch, same threads, measured
in the same run) and the rate a 3x target would need.

Writes ``benchmarks/results/pipeline_speed.{json,md,png}`` (:mod:`pipeline.report`; ``--quick``:
``pipeline_speed_quick.*``).

Run: ``python benchmarks/pipeline_speed.py`` (minutes; the first run also exports and quantises the models);
``--quick``: 20 frames per model, to check the code path. Run it on a quiet machine: other jobs slow rtmlib's
spinning sessions far more than ours and inflate the ratios (the load averages before and after are recorded;
``benchmarks/results/pipeline_speed_notes.md`` has the measured run time and effect of load).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
from pipeline.compute import matmul_rates, pose_multiply_adds
from pipeline.harness import OurPipeline, method_results, time_methods
from pipeline.measures import keypoint_error
from pipeline.report import write_markdown, write_plot
from pipeline.rtmlib_peer import RtmlibPipeline, check_rtmlib_reads_our_files
from pipeline.workload import DET_DIR, RESULTS, SHARED, VIDEO, load_frames, pose_onnx, pose_onnx_int8, shown

POSE_NOTE = ('random-weight exports with a peaked SimCC output (rtmpose.testing.PeakedSimCCNet); same graph and cost '
             'as a trained model, keypoints at a fixed layout plus image-dependent noise, so speed is real but '
             'keypoint positions are not')


def build_methods(args: argparse.Namespace, pose_path: Path, int8_path: Path | None) -> dict:
    """The timed methods the options ask for, in the report's order."""
    threads = args.threads
    methods = {'ours_det1': OurPipeline(pose_path, threads, 1), 'ours_det5': OurPipeline(pose_path, threads, 5),
               'rtmlib': RtmlibPipeline(pose_path, 'onnxruntime', threads=threads, allow_spinning=True)}
    if not args.no_extra:
        methods['rtmlib_our_opts'] = RtmlibPipeline(pose_path, 'onnxruntime', threads=threads)
    if not args.no_openvino:
        methods['ours_ov_det1'] = OurPipeline(pose_path, threads, 1, 'openvino')
        methods['ours_ov_det5'] = OurPipeline(pose_path, threads, 5, 'openvino')
        methods['rtmlib_ov'] = RtmlibPipeline(pose_path, 'openvino', threads=threads, precision='f32')
    if not args.no_bf16:
        methods['ours_ov_bf16_det1'] = OurPipeline(pose_path, threads, 1, 'openvino', 'bf16')
        methods['ours_ov_bf16_det5'] = OurPipeline(pose_path, threads, 5, 'openvino', 'bf16')
        methods['rtmlib_ov_default'] = RtmlibPipeline(pose_path, None)
    if int8_path is not None:
        methods['ours_int8_det1'] = OurPipeline(int8_path, threads, 1)
        methods['ours_int8_det5'] = OurPipeline(int8_path, threads, 5)
    return methods


def _ratios(fps: dict[str, float], ours: str, bases: tuple[str, ...]) -> dict[str, float]:
    """``{ours}_det{k}_vs_{base}`` for k in 1, 5 and each base that ran."""
    return {f'{ours}_det{k}_vs_{base}': fps[f'{ours}_det{k}'] / fps[base]
            for k in (1, 5) for base in bases if base in fps}


def _targets(ratios: dict[str, float], ours: str) -> dict[str, bool]:
    return {'det1_ge_1.5x': ratios[f'{ours}_det1_vs_rtmlib'] >= 1.5,
            'det5_ge_3x': ratios[f'{ours}_det5_vs_rtmlib'] >= 3.0}


def speed_ratios(fps: dict[str, float]) -> dict:
    """The ratio and target entries of one model's report, for the methods that ran."""
    ratios = {f'ours_det{k}_vs_rtmlib': fps[f'ours_det{k}'] / fps['rtmlib'] for k in (1, 5)}
    if 'rtmlib_our_opts' in fps:
        ratios.update({f'ours_det{k}_vs_rtmlib_our_opts': fps[f'ours_det{k}'] / fps['rtmlib_our_opts']
                       for k in (1, 5)})
    out = {'ratios': ratios, 'targets': _targets(ratios, 'ours')}
    if 'ours_ov_det1' in fps:
        out['openvino_ratios'] = _ratios(fps, 'ours_ov', ('rtmlib', 'rtmlib_ov'))
        out['openvino_targets'] = _targets(out['openvino_ratios'], 'ours_ov')
    if 'ours_int8_det1' in fps:
        out['int8_ratios'] = _ratios(fps, 'ours_int8', ('rtmlib',))
    if 'ours_ov_bf16_det1' in fps:
        out['bf16_ratios'] = _ratios(fps, 'ours_ov_bf16', ('rtmlib', 'rtmlib_ov_default'))
        out['bf16_targets'] = _targets(out['bf16_ratios'], 'ours_ov_bf16')
    return out


def bench_model(arch: str, args: argparse.Namespace, frames: list[np.ndarray]) -> dict:
    pose_path = pose_onnx(arch, args.cache_dir, frames)
    int8_path = None if args.no_int8 else pose_onnx_int8(pose_path, frames)
    methods = build_methods(args, pose_path, int8_path)
    seconds = time_methods(methods, frames, args.chunk)
    out: dict = {'pose_onnx': shown(pose_path), 'frames': len(frames),
                 'methods': {name: method_results(methods[name], seconds[name], len(frames)) for name in methods}}
    print(f'  rtmpose-{arch}: ' + '  '.join(f"{n} {m['fps']:.2f} FPS" for n, m in out['methods'].items()), flush=True)
    entries = speed_ratios({name: m['fps'] for name, m in out['methods'].items()})
    # the detector and float32 pose model (ONNX Runtime) the INT8 and bf16 keypoints are compared with
    reference = methods['ours_det1'].tracker
    for kind, name in (('int8', 'ours_int8_det1'), ('bf16', 'ours_ov_bf16_det1')):
        if name in methods:
            entries[f'{kind}_keypoint_error'] = keypoint_error(reference.det_model, reference.pose_model,
                                                               methods[name].tracker.pose_model, frames)
    if int8_path is not None:
        entries['pose_onnx_int8'] = shown(int8_path)
    out.update(_report_order(entries))
    out['pose_multiply_adds'] = pose_multiply_adds(arch)
    out['rtmlib_check'] = check_rtmlib_reads_our_files(methods['rtmlib'], reference.det_model, pose_path, frames[0],
                                                       args.threads)
    return out


def _report_order(entries: dict) -> dict:
    """The entries in the order the JSON report has always had them."""
    order = ('ratios', 'targets', 'openvino_ratios', 'openvino_targets', 'pose_onnx_int8', 'int8_ratios',
             'int8_keypoint_error', 'bf16_ratios', 'bf16_targets', 'bf16_keypoint_error')
    return {key: entries[key] for key in order if key in entries}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+', default=['t', 'm'], choices=['t', 's', 'm', 'l'])
    parser.add_argument('--frames', type=int, nargs='+', default=[150, 100],
                        help='frames per model (one value, or one per --models entry)')
    parser.add_argument('--chunk', type=int, default=15, help='frames per interleaving chunk')
    parser.add_argument('--threads', type=int, default=2, help='intra-op threads of every ORT session')
    parser.add_argument('--no-extra', action='store_true', help='skip the rtmlib-with-our-session-options run')
    parser.add_argument('--no-int8', action='store_true', help='skip our pipeline on the INT8 pose model')
    parser.add_argument('--no-openvino', action='store_true', help='skip the OpenVINO runs (ours and rtmlib)')
    parser.add_argument('--no-bf16', action='store_true', help='skip the OpenVINO bfloat16 runs (ours and rtmlib)')
    parser.add_argument('--quick', action='store_true', help='20 frames per model (smoke test)')
    parser.add_argument('--out-dir', type=Path, default=RESULTS)
    parser.add_argument('--cache-dir', type=Path, default=RESULTS / '.cache')
    return parser.parse_args()


def run_header(args: argparse.Namespace) -> dict:
    """The report's description of the run (versions, machine, load before)."""
    import onnxruntime as ort
    import rtmlib

    return {'video': str(VIDEO.relative_to(SHARED.parent)) if SHARED.parent in VIDEO.parents else str(VIDEO),
            'detector': 'shared/models/rtmdet-nano-person (official RTMDet-nano person, MMDeploy ONNX)',
            'threads': args.threads, 'chunk': args.chunk, 'cpu_count': os.cpu_count(),
            'load_before': [round(v, 2) for v in os.getloadavg()], 'onnxruntime': ort.__version__,
            'rtmlib': getattr(rtmlib, '__version__', '0.0.16'), 'python': platform.python_version(),
            'pose_note': POSE_NOTE, 'models': {}}


def main() -> int:
    args = parse_args()
    if not VIDEO.is_file() or not (DET_DIR / 'end2end.onnx').is_file():
        raise SystemExit(f'needs {VIDEO} and {DET_DIR}/end2end.onnx (set RTMPOSE_SHARED)')
    try:
        import rtmlib  # noqa: F401
    except ImportError:
        raise SystemExit('rtmlib is not installed: pip install --no-deps rtmlib==0.0.16') from None
    counts = [20] * len(args.models) if args.quick else (
        args.frames * len(args.models) if len(args.frames) == 1 else args.frames)
    if len(counts) != len(args.models):
        raise SystemExit('--frames needs one value or one per model')
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    ignore = args.cache_dir / '.gitignore'
    if not ignore.exists():
        ignore.write_text('# exported models, regenerated by benchmarks/pipeline_speed.py\n*\n')
    args.out_dir.mkdir(parents=True, exist_ok=True)
    all_frames = load_frames(max(counts))
    started = time.time()
    report = run_header(args)
    report['matmul_gflops'] = matmul_rates(args.threads)
    for arch, count in zip(args.models, counts):
        print(f'rtmpose-{arch}: {count} frames', flush=True)
        report['models'][arch] = bench_model(arch, args, all_frames[:count])
    report['load_after'] = [round(v, 2) for v in os.getloadavg()]
    report['wall_s'] = round(time.time() - started, 1)
    stem = 'pipeline_speed_quick' if args.quick else 'pipeline_speed'
    (args.out_dir / f'{stem}.json').write_text(json.dumps(report, indent=2))
    write_markdown(report, args.out_dir / f'{stem}.md')
    write_plot(report, args.out_dir / f'{stem}.png')
    print((args.out_dir / f'{stem}.md').read_text())
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

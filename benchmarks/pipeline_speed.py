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

- ``ours_det1``: ``PoseTracker`` with ``TrackerConfig(det_interval=1)``: detector every frame, all crops of a frame
  in one ORT call, OKS-NMS, tracking, One-Euro smoothing.
- ``ours_det5``: ``TrackerConfig(det_interval=5)``: detector every 5th frame, boxes from the previous poses between.
- ``rtmlib``: ``rtmlib.RTMDet`` + ``rtmlib.RTMPose`` (:mod:`pipeline.rtmlib_peer`), detector every frame, one ORT
  call per crop, no tracking or smoothing, on sessions with rtmlib's settings (default ``SessionOptions``:
  spinning on) and ``intra_op_num_threads`` set to ``--threads``.
- ``rtmlib_our_opts`` (``--no-extra`` skips it): the same rtmlib code on sessions with our options (spinning off),
  which shows how much of the gap is session settings and how much the pipeline.
- ``ours_ov_det1`` / ``ours_ov_det5`` / ``rtmlib_ov`` (``--no-openvino`` skips them): the same ONNX files run by
  OpenVINO in float32: our pipeline with ``backend='openvino'``, and rtmlib on OpenVINO compiled by
  :mod:`rtmpose.backends` with the same threads and float32 (rtmlib's default would be bfloat16 on a CPU that has
  it).
- ``ours_ov_bf16_det1`` / ``ours_ov_bf16_det5`` / ``rtmlib_ov_default`` (``--no-bf16`` skips them): the same ONNX
  files run by OpenVINO in bfloat16 (on CPUs with AVX512-BF16 or AMX; elsewhere OpenVINO falls back to float32):
  our pipeline with ``precision='bf16'``, and rtmlib's OpenVINO backend as rtmlib compiles it (``PERFORMANCE_HINT:
  LATENCY`` only, so OpenVINO's defaults: all cores, bfloat16 where the CPU has it), with the bf16-vs-f32 keypoint
  distance for the same boxes.
- ``ours_int8_det1`` / ``ours_int8_det5`` (``--no-int8`` skips them): our pipeline on our static INT8 quantisation
  of the same pose ONNX (calibrated on crops of the video), reported apart from the same-file comparison, with the
  INT8-vs-FP32 keypoint distance for the same boxes.

Whole-body (``--models wholebody-l``): RTMPose-l COCO-WholeBody 256x192 (133 keypoints, exported from
``configs/wholebody/rtmpose-l_coco-wholebody.py`` with random peaked weights as above) on the same detector:
``ours_det1`` / ``ours_det5`` (the tracker on the COCO-WholeBody keypoint set: its OKS sigmas), ``rtmlib`` and
``rtmlib_our_opts`` as above with the ``pose_model`` of an ``rtmlib.Wholebody`` made on the same files, and the
OpenVINO float32 runs ``ours_ov_det1`` / ``ours_ov_det5`` / ``rtmlib_ov`` (``--no-openvino`` skips them);
``ours_det1_batch1`` / ``ours_ov_det1_batch1``: ours with one crop per pose network call (``max_batch_size=1``),
which shows what batching the crops gives or costs for a network this large. Run on its
own (about 2-3 minutes), it writes its section (``wholebody`` in the JSON, a whole-body table in the markdown)
into the results files and keeps the body results there as they are; a body run keeps a whole-body section there.

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
``--quick``: 20 frames per model, to check the code path.

``--compare-rev REV [REV ...]`` (:mod:`pipeline.revisions`) times instead our tracker of the working tree against
the same tracker of other git revisions (e.g. ``--compare-rev 9a499a5 HEAD --models m --frames 280``), on the same
ONNX files, each side in its own process, interleaved chunk by chunk over ``--passes`` passes, detector every
``--compare-det-interval`` frames; it writes ``pipeline_speed_revisions.{json,md}`` (per model).
 Run it on a quiet machine: other jobs slow rtmlib's
spinning sessions far more than ours and inflate the ratios (the load averages before and after are recorded;
``benchmarks/results/pipeline_speed_notes.md`` has the measured run time and effect of load).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pipeline import workload
from pipeline.compute import matmul_rates, pose_multiply_adds
from pipeline.harness import OurPipeline, method_results, time_methods
from pipeline.measures import keypoint_error
from pipeline.report import write_markdown, write_plot
from pipeline.revisions import compare_revisions, markdown
from pipeline.rtmlib_peer import RtmlibPipeline, check_rtmlib_reads_our_files
from pipeline.workload import DET_DIR, RESULTS, SHARED, VIDEO, load_frames, pose_onnx, pose_onnx_int8, shown

POSE_NOTE = ('random-weight exports with a peaked SimCC output (rtmpose.testing.PeakedSimCCNet); same graph and cost '
             'as a trained model, keypoints at a fixed layout plus image-dependent noise, so speed is real but '
             'keypoint positions are not')
#: the models ``--models`` takes (those of :data:`pipeline.workload.POSE_CONFIGS`) and their frames by default
DEFAULT_FRAMES = {'t': 150, 's': 150, 'm': 100, 'l': 100, 'wholebody-l': 30}
WHOLEBODY_RTMLIB = ('rtmlib.RTMDet on the detector file (as for body) and the pose_model of rtmlib.Wholebody(det=, '
                    'pose=, pose_input_size=(192, 256)) on the pose file: rtmlib.RTMPose with to_openpose=False, one '
                    "network call per crop; Wholebody's own det_model is a YOLOX, whose preprocessing does not "
                    'normalise the image as RTMDet-nano needs')


def build_methods(args: argparse.Namespace, pose_path: Path, int8_path: Path | None,
                  keypoint_set: str | None = None) -> dict:
    """The timed methods the options ask for, in the report's order. A whole-body model (``keypoint_set``) is
    compared with rtmlib's ``Wholebody`` path and also runs one crop per pose network call (``*_batch1``)."""
    threads, whole = args.threads, keypoint_set is not None
    solution = 'wholebody' if whole else 'body'

    def ours(det_interval: int, backend: str = 'onnxruntime', precision: str | None = None, path: Path = pose_path,
             **batch) -> OurPipeline:
        return OurPipeline(path, threads, det_interval, backend, precision, keypoint_set=keypoint_set, **batch)

    methods = {'ours_det1': ours(1), 'ours_det5': ours(5),
               'rtmlib': RtmlibPipeline(pose_path, 'onnxruntime', solution, threads=threads, allow_spinning=True)}
    if not args.no_extra:
        methods['rtmlib_our_opts'] = RtmlibPipeline(pose_path, 'onnxruntime', solution, threads=threads)
    if whole:
        methods['ours_det1_batch1'] = ours(1, max_batch_size=1)
    if not args.no_openvino:
        methods.update(ours_ov_det1=ours(1, 'openvino'), ours_ov_det5=ours(5, 'openvino'))
        if whole:
            methods['ours_ov_det1_batch1'] = ours(1, 'openvino', max_batch_size=1)
        methods['rtmlib_ov'] = RtmlibPipeline(pose_path, 'openvino', solution, threads=threads, precision='f32')
    if not args.no_bf16:
        methods.update(ours_ov_bf16_det1=ours(1, 'openvino', 'bf16'), ours_ov_bf16_det5=ours(5, 'openvino', 'bf16'))
        methods['rtmlib_ov_default'] = RtmlibPipeline(pose_path, None, solution)
    if int8_path is not None:
        methods.update(ours_int8_det1=ours(1, path=int8_path), ours_int8_det5=ours(5, path=int8_path))
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
    """One pose model (body-17, or whole-body: :data:`pipeline.workload.KEYPOINT_SETS`): every method timed, the
    ratios, the INT8 / bf16 keypoint distances to float32 for the same boxes and rtmlib's reading of the files."""
    pose_path = pose_onnx(arch, args.cache_dir, frames)
    int8_path = None if args.no_int8 else pose_onnx_int8(pose_path, frames)
    keypoint_set = workload.KEYPOINT_SETS.get(arch)
    methods = build_methods(args, pose_path, int8_path, keypoint_set)
    reference = methods['ours_det1'].tracker
    out: dict = {'pose_onnx': shown(pose_path)}
    if keypoint_set is not None:
        out.update(keypoint_set=keypoint_set, num_keypoints=reference.pose_model.num_keypoints)
    out.update(frames=len(frames), methods=timed_results(arch, methods, frames, args.chunk))
    fps = {name: m['fps'] for name, m in out['methods'].items()}
    entries = speed_ratios(fps)
    # the detector and float32 pose model (ONNX Runtime) the INT8 and bf16 keypoints are compared with
    for kind, name in (('int8', 'ours_int8_det1'), ('bf16', 'ours_ov_bf16_det1')):
        if name in methods:
            entries[f'{kind}_keypoint_error'] = keypoint_error(reference.det_model, reference.pose_model,
                                                               methods[name].tracker.pose_model, frames)
    if int8_path is not None:
        entries['pose_onnx_int8'] = shown(int8_path)
    out.update(_report_order(entries))
    if keypoint_set is not None:
        out['batch1_ratios'] = {f'{name}_vs_{base}': fps[name] / fps[base]
                                for name in ('ours_det1_batch1', 'ours_ov_det1_batch1')
                                for base in ('rtmlib', 'rtmlib_ov') if name in fps and base in fps}
    out['pose_multiply_adds'] = pose_multiply_adds(arch)
    out['rtmlib_check'] = check_rtmlib_reads_our_files(methods['rtmlib'], reference.det_model, pose_path, frames[0],
                                                       args.threads)
    return out


def timed_results(arch: str, methods: dict, frames: list[np.ndarray], chunk: int) -> dict:
    """The results of ``methods`` timed interleaved on ``frames`` (printed as they come)."""
    seconds = time_methods(methods, frames, chunk)
    results = {name: method_results(methods[name], seconds[name], len(frames)) for name in methods}
    print(f'  rtmpose-{arch}: ' + '  '.join(f"{n} {m['fps']:.2f} FPS" for n, m in results.items()), flush=True)
    return results


def _report_order(entries: dict) -> dict:
    """The entries in the order the JSON report has always had them."""
    order = ('ratios', 'targets', 'openvino_ratios', 'openvino_targets', 'pose_onnx_int8', 'int8_ratios',
             'int8_keypoint_error', 'bf16_ratios', 'bf16_targets', 'bf16_keypoint_error')
    return {key: entries[key] for key in order if key in entries}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+', default=['t', 'm'], choices=list(DEFAULT_FRAMES),
                        help='body-17 RTMPose-t/s/m/l, and/or the whole-body RTMPose-l (wholebody-l, run alone: '
                        'writes only the whole-body section of the results)')
    parser.add_argument('--frames', type=int, nargs='+', default=None,
                        help='frames per model (one value, or one per --models entry; default '
                        f'{DEFAULT_FRAMES})')
    parser.add_argument('--chunk', type=int, default=15, help='frames per interleaving chunk')
    parser.add_argument('--threads', type=int, default=2, help='intra-op threads of every ORT session')
    parser.add_argument('--no-extra', action='store_true', help='skip the rtmlib-with-our-session-options run')
    parser.add_argument('--no-int8', action='store_true', help='skip our pipeline on the INT8 pose model')
    parser.add_argument('--no-openvino', action='store_true', help='skip the OpenVINO runs (ours and rtmlib)')
    parser.add_argument('--no-bf16', action='store_true', help='skip the OpenVINO bfloat16 runs (ours and rtmlib)')
    parser.add_argument('--quick', action='store_true', help='20 frames per model (smoke test)')
    parser.add_argument('--compare-rev', nargs='+', metavar='REV',
                        help='time the working tree against these git revisions instead (our tracker only)')
    parser.add_argument('--passes', type=int, default=3, help='passes over the frames with --compare-rev')
    parser.add_argument('--compare-det-interval', type=int, default=1, help='det_interval with --compare-rev')
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


def frame_counts(args: argparse.Namespace) -> list[int]:
    """Frames per entry of ``--models``."""
    if args.quick:
        return [20] * len(args.models)
    if args.frames is None:
        return [DEFAULT_FRAMES[arch] for arch in args.models]
    counts = args.frames * len(args.models) if len(args.frames) == 1 else args.frames
    if len(counts) != len(args.models):
        raise SystemExit('--frames needs one value or one per model')
    return counts


def check_setup(args: argparse.Namespace) -> None:
    """The shared files and rtmlib are there; the cache and output folders exist."""
    if not VIDEO.is_file() or not (DET_DIR / 'end2end.onnx').is_file():
        raise SystemExit(f'needs {VIDEO} and {DET_DIR}/end2end.onnx (set RTMPOSE_SHARED)')
    try:
        import rtmlib  # noqa: F401
    except ImportError:
        raise SystemExit('rtmlib is not installed: pip install --no-deps rtmlib==0.0.16') from None
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    ignore = args.cache_dir / '.gitignore'
    if not ignore.exists():
        ignore.write_text('# exported models, regenerated by benchmarks/pipeline_speed.py\n*\n')
    args.out_dir.mkdir(parents=True, exist_ok=True)


def run_models(args: argparse.Namespace, runs: list[tuple[str, int]], frames: list[np.ndarray],
               bench: Callable) -> dict:
    """``{'models': {arch: bench(arch, args, frames)}}`` with the load before/after and the wall time."""
    started, load_before = time.time(), [round(v, 2) for v in os.getloadavg()]
    models = {}
    for arch, count in runs:
        print(f'rtmpose-{arch}: {count} frames', flush=True)
        models[arch] = bench(arch, args, frames[:count])
    return {'load_before': load_before, 'models': models, 'load_after': [round(v, 2) for v in os.getloadavg()],
            'wall_s': round(time.time() - started, 1)}


def compare_main(args: argparse.Namespace) -> int:
    """``--compare-rev``: the working tree against the revisions, per model; writes and prints the tables."""
    results = {}
    frames = load_frames(max(frame_counts(args)))
    for arch, count in zip(args.models, frame_counts(args)):
        print(f'rtmpose-{arch}: {count} frames x {args.passes} passes, working tree vs {args.compare_rev}', flush=True)
        results[arch] = compare_revisions(args.compare_rev, pose_onnx(arch, args.cache_dir, frames), count,
                                          args.threads, args.compare_det_interval, args.chunk, args.passes)
    stem = args.out_dir / ('pipeline_speed_revisions_quick' if args.quick else 'pipeline_speed_revisions')
    stem.with_suffix('.json').write_text(json.dumps(results, indent=2))
    text = '# Pipeline speed across revisions\n\n' + '\n'.join(
        f'## rtmpose-{arch}\n\n' + markdown(result) for arch, result in results.items())
    stem.with_suffix('.md').write_text(text)
    print(text)
    return 0


def main() -> int:
    args = parse_args()
    check_setup(args)
    if args.compare_rev:
        return compare_main(args)
    runs = list(zip(args.models, frame_counts(args)))
    body = [(arch, count) for arch, count in runs if arch not in workload.KEYPOINT_SETS]
    whole = [(arch, count) for arch, count in runs if arch in workload.KEYPOINT_SETS]
    all_frames = load_frames(max(count for _, count in runs))
    stem = 'pipeline_speed_quick' if args.quick else 'pipeline_speed'
    json_path = args.out_dir / f'{stem}.json'
    # the part not run keeps its results from the file
    previous = json.loads(json_path.read_text()) if json_path.is_file() else {}
    report = {key: value for key, value in previous.items() if key != 'wholebody'}
    if body:
        started = time.time()
        report = run_header(args)
        report['matmul_gflops'] = matmul_rates(args.threads)
        timed = run_models(args, body, all_frames, bench_model)
        report.update(models=timed['models'], load_after=timed['load_after'], wall_s=round(time.time() - started, 1))
    if whole:
        report['wholebody'] = {'threads': args.threads, 'chunk': args.chunk, 'pose': POSE_NOTE,
                               'rtmlib_path': WHOLEBODY_RTMLIB, 'matmul_gflops': matmul_rates(args.threads),
                               **run_models(args, whole, all_frames, bench_model)}
    elif 'wholebody' in previous:
        report['wholebody'] = previous['wholebody']
    json_path.write_text(json.dumps(report, indent=2))
    write_markdown(report, args.out_dir / f'{stem}.md')
    if body:
        write_plot(report, args.out_dir / f'{stem}.png')
    print((args.out_dir / f'{stem}.md').read_text())
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

"""Pipeline speed (RTMPose paper, section 3.5): our PoseTracker against rtmlib's ``RTMDet`` + ``RTMPose`` on the
same two ONNX files, CPU, ONNX Runtime (and OpenVINO).

Workload: the first ``--frames`` frames of ``shared/video/mmdeploy_arm_wrestling.mp4`` (340x256, ~6 people per
frame), decoded into memory first (decoding is not timed). Detector: the official RTMDet-nano person ONNX
(``shared/models/rtmdet-nano-person``). Pose: RTMPose-t and RTMPose-m exported from ``configs/rtmpose-{t,m}_coco.py``
(``rtmpose.inference.export``, cached under ``benchmarks/results/.cache/``). No trained RTMPose weights can be had
here, so the exports carry random weights with a *peaked* SimCC output (``export_rtmpose_onnx(peaked=True)``: the
full RTMPose graph runs - same cost - and one Gaussian peak per keypoint sits at a standing-person layout, moved by
the image-dependent head output), so that poses can be followed between detections as with a trained model.

Methods (all frames, same order, same ``--threads`` intra-op threads; the first four on the same ONNX files):

- ``ours_det1``: ``PoseTracker(det_interval=1)``: detector every frame, all crops of a frame in one ORT call,
  OKS-NMS, tracking, One-Euro smoothing.
- ``ours_det5``: ``PoseTracker(det_interval=5)``: detector every 5th frame, boxes from the previous poses between.
- ``rtmlib``: ``rtmlib.RTMDet`` + ``rtmlib.RTMPose`` (0.0.16), detector every frame, one ORT call per crop, no
  tracking or smoothing; its sessions are rtmlib's own (default ``SessionOptions``: spinning on) with
  ``intra_op_num_threads`` set to ``--threads``.
- ``rtmlib_our_opts`` (``--no-extra`` skips it): the same rtmlib code on sessions with our options (spinning off),
  which shows how much of the gap is session settings and how much the pipeline.
- ``ours_ov_det1`` / ``ours_ov_det5`` / ``rtmlib_ov`` (``--no-openvino`` skips them): the same ONNX files run by
  OpenVINO in float32: our pipeline with ``backend='openvino'``, and rtmlib's own OpenVINO backend compiled with the
  same threads and float32 (its default would be bfloat16 on a CPU that has it).
- ``ours_ov_bf16_det1`` / ``ours_ov_bf16_det5`` / ``rtmlib_ov_default`` (``--no-bf16`` skips them): the same ONNX
  files run by OpenVINO in bfloat16 (on CPUs with AVX512-BF16 or AMX; elsewhere OpenVINO falls back to float32):
  our pipeline with ``precision='bf16'``, and rtmlib's OpenVINO backend as rtmlib compiles it (``PERFORMANCE_HINT:
  LATENCY`` only, so OpenVINO's defaults: all cores, bfloat16 where the CPU has it), with the bf16-vs-f32 keypoint
  distance for the same boxes.
- ``ours_int8_det1`` / ``ours_int8_det5`` (``--no-int8`` skips them): our pipeline on our static INT8 quantisation
  of the same pose ONNX (calibrated on crops of the video), reported apart from the same-file comparison, with the
  INT8-vs-FP32 keypoint distance for the same boxes.

Timing is interleaved: the frames are cut into chunks of ``--chunk`` frames and every method runs each chunk in
turn (rotating the order), keeping its state (tracks) from chunk to chunk, so that load from other processes on the
machine hits all methods alike. Per-stage times: ``detect`` (pre + network + post), ``crop`` (boxes -> normalised
crops), ``pose`` (network), ``decode`` (SimCC -> image keypoints), ``smooth``; ours also ``nms``/``track``.

Compute bound: the pose networks' multiply-adds (mmengine's ``get_model_complexity_info``, the count behind the
paper's GFLOPs) over the pose stage time give the rate the network runs at, next to this machine's matrix-multiply
rate in float32 and bfloat16 (torch, same threads, measured in the same run) and the rate a 3x target would need.

Writes ``benchmarks/results/pipeline_speed.{json,md,png}``.

Run: ``python benchmarks/pipeline_speed.py`` (about 5 minutes on 2 quiet cores, plus about a minute for the exports
and INT8 quantisations the first time; ``--quick``: 20 frames per model). Run it on a quiet machine: other jobs slow
rtmlib's spinning sessions far more than ours and inflate the ratios (measured: 2.67x with a load average of 4.3,
1.77x at 0.2, RTMPose-t detector every frame).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'projects'))
SHARED = Path(os.environ.get('RTMPOSE_SHARED', REPO.parent / 'shared'))
VIDEO = SHARED / 'video' / 'mmdeploy_arm_wrestling.mp4'
DET_DIR = SHARED / 'models' / 'rtmdet-nano-person'
RESULTS = REPO / 'benchmarks' / 'results'
STAGES = ('detect', 'crop', 'pose', 'decode', 'nms', 'track', 'smooth')


def shown(path: Path) -> str:
    """``path`` relative to the repository when inside it (e.g. the default cache), else as it is."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def load_frames(count: int) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(VIDEO))
    frames = []
    while len(frames) < count:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    if not frames:
        raise SystemExit(f'could not read frames from {VIDEO}')
    return frames


def pose_onnx(arch: str, cache: Path, frames: list[np.ndarray]) -> Path:
    """The cached peaked RTMPose-``arch`` export (made on first use, calibrated on real crops of the video)."""
    path = cache / f'rtmpose-{arch}_peaked.onnx'
    if path.is_file():
        return path
    from rtmpose.inference.export import export_rtmpose_onnx

    print(f'exporting {path} ...', flush=True)
    return export_rtmpose_onnx(REPO / 'configs' / f'rtmpose-{arch}_coco.py', path, peaked=True,
                               calib_inputs=person_crops(frames[:1]))


def person_crops(frames: list[np.ndarray]) -> np.ndarray:
    """``(N, 3, 256, 192)`` normalised pose inputs of the RTMDet-nano boxes of ``frames`` (MMPose defaults)."""
    from rtmpose.inference import RTMDetONNX, TopDownPoseModel

    detector, cropper = RTMDetONNX(DET_DIR), TopDownPoseModel()
    cropper._configure({}, None, None, None, None, None)
    return np.concatenate([cropper.preprocess(frame, detector(frame)[0]).inputs for frame in frames])


def pose_onnx_int8(fp32_path: Path, frames: list[np.ndarray]) -> Path:
    """The cached static INT8 quantisation of ``fp32_path`` (``rtmpose.deploy.ort_int8``), calibrated on the
    crops of the detector boxes of every 10th frame."""
    path = fp32_path.with_name(fp32_path.stem + '_int8.onnx')
    if path.is_file():
        return path
    from rtmpose.deploy.ort_int8 import quantize_int8

    print(f'quantising {path} ...', flush=True)
    return quantize_int8(fp32_path, path, person_crops(frames[::10]))


def keypoint_error(detector, reference, approx, frames: list[np.ndarray]) -> dict:
    """Image-pixel distance between the keypoints of two pose models (``reference`` and ``approx``: e.g. FP32 and
    INT8) for the same ``detector`` boxes (every 10th frame)."""
    errors = []
    for frame in frames[::10]:
        boxes, _ = detector(frame)
        errors.append(np.linalg.norm(reference(frame, boxes)[0] - approx(frame, boxes)[0], axis=-1).ravel())
    errors = np.concatenate(errors)
    return {'mean_px': float(errors.mean()), 'median_px': float(np.median(errors)), 'max_px': float(errors.max()),
            'keypoints': int(errors.size)}


class Ours:
    def __init__(self, pose_path: Path, threads: int, det_interval: int, backend: str = 'onnxruntime',
                 precision: str | None = None):
        from rtmpose.inference import PoseTracker, build_detector, build_pose_model
        options = {'precision': precision} if precision else {}
        self.tracker = PoseTracker(build_detector(DET_DIR, backend, threads=threads, **options),
                                   build_pose_model(pose_path, backend, threads=threads, **options),
                                   det_interval=det_interval)
        self.stage_s = dict.fromkeys(STAGES, 0.0)
        self.persons = 0
        self.results: list = []

    def run(self, frame: np.ndarray) -> None:
        people = self.tracker(frame)
        for stage in STAGES:
            self.stage_s[stage] += self.tracker.timings[stage]
        self.persons += len(people)
        self.results.append(people)


class RtmlibPipeline:
    """rtmlib's RTMDet + RTMPose, called as rtmlib's ``RTMPose.__call__`` does, with timers between its steps.

    ``our_session_options``: ONNX Runtime sessions made by our ``create_session`` (else rtmlib's own, with the
    thread count set); OpenVINO models compiled by our ``OpenVINOSession`` in float32 (else as rtmlib compiles them).
    """

    def __init__(self, pose_path: Path, threads: int, our_session_options: bool, backend: str = 'onnxruntime'):
        import onnxruntime as ort
        from rtmlib import RTMDet, RTMPose

        from rtmpose.inference.model_files import create_session
        from rtmpose.inference.openvino_backend import OpenVINOSession

        det_onnx = str(DET_DIR / 'end2end.onnx')
        self.det = RTMDet(det_onnx, model_input_size=(320, 320), backend=backend, device='cpu')
        self.pose = RTMPose(str(pose_path), model_input_size=(192, 256), backend=backend, device='cpu')
        for tool, path in ((self.det, det_onnx), (self.pose, str(pose_path))):
            if backend == 'openvino':
                if not our_session_options:  # rtmlib's own compile: OpenVINO's defaults (all cores, bf16 here)
                    continue
                tool.compiled_model = OpenVINOSession(path, 'rtmlib', num_threads=threads).compiled
                tool.input_layer = tool.compiled_model.input(0)
                tool._ov_outputs = list(tool.compiled_model.outputs)
            elif our_session_options:
                tool.session = create_session(path, 'rtmlib', intra_op_threads=threads)
            else:  # rtmlib's own session (default SessionOptions), only the thread count set
                options = ort.SessionOptions()
                options.intra_op_num_threads = threads
                tool.session = ort.InferenceSession(path, sess_options=options, providers=['CPUExecutionProvider'])
        self.stage_s = dict.fromkeys(STAGES, 0.0)
        self.persons = 0
        self.results: list = []

    def run(self, frame: np.ndarray) -> None:
        tic = time.perf_counter()
        image, ratio = self.det.preprocess(frame)
        boxes = self.det.postprocess(self.det.inference(image)[0], ratio)
        toc = time.perf_counter()
        self.stage_s['detect'] += toc - tic
        bboxes = boxes if len(boxes) else [[0, 0, frame.shape[1], frame.shape[0]]]  # rtmlib's RTMPose.__call__
        keypoints, scores = [], []
        for bbox in bboxes:
            t0 = time.perf_counter()
            crop, center, scale = self.pose.preprocess(frame, bbox)
            t1 = time.perf_counter()
            outputs = self.pose.inference(crop)
            t2 = time.perf_counter()
            kpts, score = self.pose.postprocess(outputs, center, scale)
            t3 = time.perf_counter()
            keypoints.append(kpts)
            scores.append(score)
            self.stage_s['crop'] += t1 - t0
            self.stage_s['pose'] += t2 - t1
            self.stage_s['decode'] += t3 - t2
        self.persons += len(boxes)
        self.results.append((np.asarray(boxes), np.concatenate(keypoints), np.concatenate(scores)))


def jitter(results: list, smoothed: bool) -> float:
    """Mean |second difference| (px) of the keypoints of the two largest people of frame 0 over the frames where
    both tracks are present (``raw_keypoints`` when not ``smoothed``)."""
    first = results[0]
    areas = {p.track_id: float(np.prod(p.bbox[2:] - p.bbox[:2])) for p in first}
    main = sorted(areas, key=lambda k: -areas[k])[:2]
    values = []
    for tid in main:
        seq = [next((p for p in people if p.track_id == tid), None) for people in results]
        run = [getattr(p, 'keypoints' if smoothed else 'raw_keypoints') for p in seq if p is not None]
        if len(run) >= 3:
            values.append(float(np.abs(np.diff(np.stack(run), n=2, axis=0)).mean()))
    return float(np.mean(values)) if values else float('nan')


def check_rtmlib_reads_our_files(pose_path: Path, frame: np.ndarray, threads: int) -> dict:
    """rtmlib and our runtime on one frame: boxes, and keypoints for the same boxes (rtmlib feeds BGR crops, so
    ours is run with ``to_rgb=False`` for the comparison)."""
    from rtmpose.inference import RTMDetONNX, RTMPoseONNX
    lib = RtmlibPipeline(pose_path, threads, our_session_options=True)
    lib_boxes = np.asarray(lib.det(frame), np.float32).reshape(-1, 4)
    our_boxes, _ = RTMDetONNX(DET_DIR, intra_op_threads=threads)(frame)
    lib_kpts, _ = lib.pose(frame, lib_boxes)
    our_kpts, _ = RTMPoseONNX(pose_path, to_rgb=False, intra_op_threads=threads)(frame, lib_boxes)
    from rtmpose.inference.preprocess import clip_boxes
    from rtmpose.inference.tracker import box_iou
    iou = box_iou(lib_boxes, our_boxes)
    matched = iou.max(axis=1) >= 0.5 if iou.size else np.zeros(len(lib_boxes), bool)
    diffs = np.abs(clip_boxes(lib_boxes, frame.shape) - our_boxes[iou.argmax(axis=1)]).max(axis=1)[matched] \
        if iou.size else np.zeros(0)
    return {'rtmlib_boxes': len(lib_boxes), 'our_boxes': len(our_boxes), 'matched_boxes_iou_0.5': int(matched.sum()),
            'median_box_diff_px': float(np.median(diffs)) if len(diffs) else None,
            'max_box_diff_px': float(diffs.max()) if len(diffs) else None,
            'max_keypoint_diff_px': float(np.abs(lib_kpts - our_kpts).max()),
            'median_keypoint_diff_px': float(np.median(np.abs(lib_kpts - our_kpts))),
            'note': 'rtmlib 0.0.16 RTMPose feeds BGR crops (no BGR->RGB swap, unlike the MMDeploy pipeline.json: '
                    'to_rgb=true) and scores a keypoint by the mean of the x/y maxima (MMPose: the minimum); '
                    'its RTMDet resizes with int() truncation instead of rounding'}


def pose_multiply_adds(arch: str) -> int:
    """Multiply-adds of one RTMPose-``arch`` crop (mmengine's ``get_model_complexity_info`` on the network as
    exported, input 1x3x256x192: the count MMPose reports as FLOPs, 1.93 G for RTMPose-m)."""
    import logging
    import warnings

    import torch
    from mmengine.analysis import get_model_complexity_info
    from mmengine.logging import MMLogger

    from rtmpose.inference.export import build_rtmpose_model, simcc_wrapper
    network = simcc_wrapper(build_rtmpose_model(REPO / 'configs' / f'rtmpose-{arch}_coco.py')).eval()
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.ERROR)  # one warning per operator it does not count (activations, norms)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            info = get_model_complexity_info(network, inputs=(torch.zeros(1, 3, 256, 192),), show_table=False,
                                             show_arch=False)
    finally:
        logger.setLevel(level)
    return int(info['flops'])


def matmul_rates(threads: int, size: int = 4096, repeats: int = 5) -> dict:
    """This machine's matrix-multiply rate (GFLOP/s, best of ``repeats``) for ``size`` x ``size`` float32 and
    bfloat16 matrices with torch on ``threads`` threads: what dense network layers can get at most, roughly."""
    import torch
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    rates = {}
    try:
        for name, dtype in (('float32', torch.float32), ('bfloat16', torch.bfloat16)):
            a, b = torch.rand(size, size, dtype=dtype), torch.rand(size, size, dtype=dtype)
            a @ b
            best = float('inf')
            for _ in range(repeats):
                tic = time.perf_counter()
                a @ b
                best = min(best, time.perf_counter() - tic)
            rates[name] = 2 * size ** 3 / best / 1e9
    finally:
        torch.set_num_threads(previous)
    return rates


def bench_model(arch: str, args, frames: list[np.ndarray]) -> dict:
    pose_path = pose_onnx(arch, args.cache_dir, frames)
    methods = {'ours_det1': Ours(pose_path, args.threads, 1), 'ours_det5': Ours(pose_path, args.threads, 5),
               'rtmlib': RtmlibPipeline(pose_path, args.threads, our_session_options=False)}
    if not args.no_extra:
        methods['rtmlib_our_opts'] = RtmlibPipeline(pose_path, args.threads, our_session_options=True)
    if not args.no_openvino:
        methods['ours_ov_det1'] = Ours(pose_path, args.threads, 1, 'openvino')
        methods['ours_ov_det5'] = Ours(pose_path, args.threads, 5, 'openvino')
        methods['rtmlib_ov'] = RtmlibPipeline(pose_path, args.threads, True, 'openvino')
    if not args.no_bf16:
        methods['ours_ov_bf16_det1'] = Ours(pose_path, args.threads, 1, 'openvino', 'bf16')
        methods['ours_ov_bf16_det5'] = Ours(pose_path, args.threads, 5, 'openvino', 'bf16')
        methods['rtmlib_ov_default'] = RtmlibPipeline(pose_path, args.threads, False, 'openvino')
    int8_path = None if args.no_int8 else pose_onnx_int8(pose_path, frames)
    if int8_path is not None:
        methods['ours_int8_det1'] = Ours(int8_path, args.threads, 1)
        methods['ours_int8_det5'] = Ours(int8_path, args.threads, 5)
    warm = frames[-1]
    for method in methods.values():  # one untimed call each: ORT's first run allocates
        method.run(warm)
    for name in list(methods):  # fresh state after warm-up (same sessions)
        method = methods[name]
        if isinstance(method, Ours):
            method.tracker.reset()
        method.stage_s = dict.fromkeys(STAGES, 0.0)
        method.persons = 0
        method.results = []
    wall = dict.fromkeys(methods, 0.0)
    names = list(methods)
    for index, start in enumerate(range(0, len(frames), args.chunk)):
        chunk = frames[start:start + args.chunk]
        order = names[index % len(names):] + names[:index % len(names)]
        for name in order:
            method = methods[name]
            tic = time.perf_counter()
            for frame in chunk:
                method.run(frame)
            wall[name] += time.perf_counter() - tic
        print(f'  rtmpose-{arch}: frames {start + len(chunk)}/{len(frames)}  ' +
              '  '.join(f'{n} {len(frames[:start + len(chunk)]) / wall[n]:.2f} FPS' for n in names), flush=True)
    out: dict = {'pose_onnx': shown(pose_path), 'frames': len(frames), 'methods': {}}
    for name, method in methods.items():
        count = len(frames)
        out['methods'][name] = {
            'fps': count / wall[name], 'ms_per_frame': 1000 * wall[name] / count,
            'stage_ms_per_frame': {s: 1000 * v / count for s, v in method.stage_s.items()},
            'persons_per_frame': method.persons / count}
        if isinstance(method, Ours):
            out['methods'][name]['detector_frames'] = method.tracker.det_frames
            raw, smooth = jitter(method.results, False), jitter(method.results, True)
            out['methods'][name]['jitter_px'] = {'raw': raw, 'smoothed': smooth,
                                                 'reduction_pct': 100 * (1 - smooth / raw)}
    fps = {n: m['fps'] for n, m in out['methods'].items()}
    # the detector and float32 pose model (ONNX Runtime) the INT8 and bf16 keypoints are compared with
    fp32_models = (methods['ours_det1'].tracker.det_model, methods['ours_det1'].tracker.pose_model)
    out['ratios'] = {'ours_det1_vs_rtmlib': fps['ours_det1'] / fps['rtmlib'],
                     'ours_det5_vs_rtmlib': fps['ours_det5'] / fps['rtmlib']}
    if 'rtmlib_our_opts' in fps:
        out['ratios'].update(ours_det1_vs_rtmlib_our_opts=fps['ours_det1'] / fps['rtmlib_our_opts'],
                             ours_det5_vs_rtmlib_our_opts=fps['ours_det5'] / fps['rtmlib_our_opts'])
    out['targets'] = {'det1_ge_1.5x': out['ratios']['ours_det1_vs_rtmlib'] >= 1.5,
                      'det5_ge_3x': out['ratios']['ours_det5_vs_rtmlib'] >= 3.0}
    if 'ours_ov_det1' in fps:
        out['openvino_ratios'] = {f'ours_ov_det{k}_vs_{base}': fps[f'ours_ov_det{k}'] / fps[base]
                                  for k in (1, 5) for base in ('rtmlib', 'rtmlib_ov')}
        out['openvino_targets'] = {'det1_ge_1.5x': out['openvino_ratios']['ours_ov_det1_vs_rtmlib'] >= 1.5,
                                   'det5_ge_3x': out['openvino_ratios']['ours_ov_det5_vs_rtmlib'] >= 3.0}
    if int8_path is not None:
        out['pose_onnx_int8'] = shown(int8_path)
        out['int8_ratios'] = {'ours_int8_det1_vs_rtmlib': fps['ours_int8_det1'] / fps['rtmlib'],
                              'ours_int8_det5_vs_rtmlib': fps['ours_int8_det5'] / fps['rtmlib']}
        out['int8_keypoint_error'] = keypoint_error(*fp32_models, methods['ours_int8_det1'].tracker.pose_model,
                                                    frames)
    if 'ours_ov_bf16_det1' in fps:
        out['bf16_ratios'] = {f'ours_ov_bf16_det{k}_vs_{base}': fps[f'ours_ov_bf16_det{k}'] / fps[base]
                              for k in (1, 5) for base in ('rtmlib', 'rtmlib_ov_default')}
        out['bf16_targets'] = {'det1_ge_1.5x': out['bf16_ratios']['ours_ov_bf16_det1_vs_rtmlib'] >= 1.5,
                               'det5_ge_3x': out['bf16_ratios']['ours_ov_bf16_det5_vs_rtmlib'] >= 3.0}
        out['bf16_keypoint_error'] = keypoint_error(*fp32_models, methods['ours_ov_bf16_det1'].tracker.pose_model,
                                                    frames)
    out['pose_multiply_adds'] = pose_multiply_adds(arch)
    out['rtmlib_check'] = check_rtmlib_reads_our_files(pose_path, frames[0], args.threads)
    return out


def _target_rows(models: dict, ratios: str, targets: str, keys: list[str]) -> list[str]:
    """Markdown table rows, one per model holding ``ratios``: the model, its ``keys`` ratios ('n/a' where absent),
    then whether each of the two speed targets in ``targets`` is met."""
    rows = []
    for arch, res in models.items():
        if ratios in res:
            cells = [f'{res[ratios][k]:.2f}x' if k in res[ratios] else 'n/a' for k in keys]
            met = ['met' if res[targets][key] else 'MISSED' for key in ('det1_ge_1.5x', 'det5_ge_3x')]
            rows.append('| ' + ' | '.join([f'rtmpose-{arch}', *cells, *met]) + ' |')
    return rows


def write_markdown(report: dict, path: Path) -> None:
    lines = ['# Pipeline speed: our PoseTracker vs rtmlib (same ONNX files, CPU)', '',
             f"Video `{report['video']}`, {report['threads']} intra-op threads for every session, "
             f"{report['cpu_count']} CPUs, load average before/after: {report['load_before']} / "
             f"{report['load_after']} (other jobs share this machine). "
             f"Chunks of {report['chunk']} frames interleaved across methods. ", '',
             '| model | method | FPS | ms/frame | detect | crop | pose | decode | nms+track | smooth | persons/frame '
             '| jitter raw -> smoothed (px) |',
             '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|']
    for arch, res in report['models'].items():
        for name, m in res['methods'].items():
            st = m['stage_ms_per_frame']
            jit = m.get('jitter_px')
            jit_s = f"{jit['raw']:.2f} -> {jit['smoothed']:.2f} (-{jit['reduction_pct']:.0f}%)" if jit else ''
            lines.append(f"| rtmpose-{arch} | {name} | {m['fps']:.2f} | {m['ms_per_frame']:.1f} | {st['detect']:.1f} "
                         f"| {st['crop']:.1f} | {st['pose']:.1f} | {st['decode']:.2f} | "
                         f"{st['nms'] + st['track']:.2f} | {st['smooth']:.2f} | {m['persons_per_frame']:.2f} | "
                         f"{jit_s} |")
    lines += ['', '| model | ours det1 / rtmlib | ours det5 / rtmlib | ours det1 / rtmlib (our session opts) | '
              'ours det5 / rtmlib (our session opts) | target det1 >= 1.5x | target det5 >= 3x |',
              '|---|---:|---:|---:|---:|---|---|']
    lines += _target_rows(report['models'], 'ratios', 'targets', [
        'ours_det1_vs_rtmlib', 'ours_det5_vs_rtmlib', 'ours_det1_vs_rtmlib_our_opts', 'ours_det5_vs_rtmlib_our_opts'])
    if any('openvino_ratios' in res for res in report['models'].values()):
        lines += ['', 'The same two ONNX files run by OpenVINO (`backend=\'openvino\'`, float32: the same numbers as '
                  'ONNX Runtime within 1e-5) in our pipeline, against rtmlib on its default ONNX Runtime backend '
                  '(the targets) and against rtmlib on its own OpenVINO backend (compiled with the same threads and '
                  'float32):', '',
                  '| model | ours OV det1 / rtmlib | ours OV det5 / rtmlib | ours OV det1 / rtmlib OV | ours OV det5 / '
                  'rtmlib OV | target det1 >= 1.5x | target det5 >= 3x |', '|---|---:|---:|---:|---:|---|---|']
        lines += _target_rows(report['models'], 'openvino_ratios', 'openvino_targets', [
            'ours_ov_det1_vs_rtmlib', 'ours_ov_det5_vs_rtmlib', 'ours_ov_det1_vs_rtmlib_ov',
            'ours_ov_det5_vs_rtmlib_ov'])
    bf16 = {arch: res for arch, res in report['models'].items() if 'bf16_ratios' in res}
    if bf16:
        lines += ['', 'The same two ONNX files run by OpenVINO in bfloat16 (`precision=\'bf16\'`; what OpenVINO '
                  'picks by itself on a CPU with AVX512-BF16 or AMX, as here), against rtmlib on ONNX Runtime (the '
                  'targets) and against rtmlib on OpenVINO as rtmlib compiles it (OpenVINO\'s defaults: bfloat16 '
                  'here too). Approximate, so reported apart from the float32 runs, with the bf16-vs-f32 keypoint '
                  'distance for the same boxes:', '',
                  '| model | ours OV bf16 det1 / rtmlib | ours OV bf16 det5 / rtmlib | ours OV bf16 det1 / rtmlib OV '
                  'default | ours OV bf16 det5 / rtmlib OV default | target det1 >= 1.5x | target det5 >= 3x | '
                  'bf16 vs f32 keypoints, same boxes: mean / median / max (image px) |',
                  '|---|---:|---:|---:|---:|---|---|---|']
        rows = _target_rows(bf16, 'bf16_ratios', 'bf16_targets', [
            'ours_ov_bf16_det1_vs_rtmlib', 'ours_ov_bf16_det5_vs_rtmlib', 'ours_ov_bf16_det1_vs_rtmlib_ov_default',
            'ours_ov_bf16_det5_vs_rtmlib_ov_default'])
        for row, res in zip(rows, bf16.values()):
            e = res['bf16_keypoint_error']
            lines.append(f"{row} {e['mean_px']:.2f} / {e['median_px']:.2f} / {e['max_px']:.1f} "
                         f"({e['keypoints']} keypoints) |")
    int8 = {arch: res for arch, res in report['models'].items() if 'int8_ratios' in res}
    if int8:
        lines += ['', 'Our INT8 export of the same pose weights (`rtmpose.deploy.ort_int8`, calibrated on crops of '
                  'this video; the detector stays FP32) in the same pipeline, against rtmlib on the FP32 files. Not '
                  'the same files, so not the targets above: the option a user has when the pose network is the '
                  'bottleneck.', '',
                  '| model | ours INT8 det1 / rtmlib | ours INT8 det5 / rtmlib | INT8 vs FP32 keypoints, same boxes: '
                  'mean / median / max (image px) |', '|---|---:|---:|---|']
        for arch, res in int8.items():
            r, e = res['int8_ratios'], res['int8_keypoint_error']
            lines.append(f"| rtmpose-{arch} | {r['ours_int8_det1_vs_rtmlib']:.2f}x | "
                         f"{r['ours_int8_det5_vs_rtmlib']:.2f}x | {e['mean_px']:.2f} / {e['median_px']:.2f} / "
                         f"{e['max_px']:.1f} ({e['keypoints']} keypoints) |")
    lines += ['', 'Where the time goes (ours, detector every frame) and what skipping the detector can give at most:', '']
    for arch, res in report['models'].items():
        det1 = res['methods']['ours_det1']
        share = det1['stage_ms_per_frame']['pose'] / det1['ms_per_frame']
        bound = det1['ms_per_frame'] / (det1['ms_per_frame'] - 0.8 * det1['stage_ms_per_frame']['detect'])
        lines.append(f"- rtmpose-{arch}: the pose network is {100 * share:.0f}% of the frame time "
                     f"({det1['stage_ms_per_frame']['pose'] / max(det1['persons_per_frame'], 1e-9):.1f} ms per "
                     f"person); running the detector on 1 frame in 5 removes at most 80% of the detect stage, so "
                     f"det_interval 5 can be at most {bound:.2f}x faster than det_interval 1 here, i.e. "
                     f"{bound * res['ratios']['ours_det1_vs_rtmlib']:.2f}x rtmlib")
    if 'matmul_gflops' in report:
        rates = report['matmul_gflops']
        lines += ['', f"Compute bound (float32): this machine multiplies 4096x4096 matrices at {rates['float32']:.0f} "
                  f"GFLOP/s in float32 and {rates['bfloat16']:.0f} GFLOP/s in bfloat16 (torch, {report['threads']} "
                  'threads, same run). The pose stage of our OpenVINO float32 run with det_interval 5 runs the '
                  'network at:', '']
        for arch, res in report['models'].items():
            ov5 = res['methods'].get('ours_ov_det5')
            if ov5 is None or 'pose_multiply_adds' not in res:
                continue
            flop = 2 * res['pose_multiply_adds'] * ov5['persons_per_frame']  # per frame
            pose_s = ov5['stage_ms_per_frame']['pose'] / 1000
            other_s = (ov5['ms_per_frame'] - ov5['stage_ms_per_frame']['pose']) / 1000
            budget_s = 1 / (3 * res['methods']['rtmlib']['fps']) - other_s  # pose time that would give 3x rtmlib
            need = f"{flop / budget_s / 1e9:.0f} GFLOP/s" if budget_s > 0 else 'more than the other stages leave'
            lines.append(f"- rtmpose-{arch} ({res['pose_multiply_adds'] / 1e9:.2f} G multiply-adds per crop, "
                         f"{ov5['persons_per_frame']:.2f} crops per frame): {flop / pose_s / 1e9:.0f} GFLOP/s, "
                         f"{100 * flop / pose_s / 1e9 / rates['float32']:.0f}% of the float32 matrix-multiply rate; "
                         f"det_interval 5 at 3x rtmlib would need {need}")
    lines += ['', 'Sessions: rtmlib creates `InferenceSession(path, providers=[...])` with default `SessionOptions` '
              '(graph optimisation ORT_ENABLE_ALL, intra-op threads 0 = the physical cores, which is 2 here, '
              'intra-op threads spin while idle); the benchmark rebuilds them with `intra_op_num_threads` = '
              f"{report['threads']} and nothing else changed. Ours (`create_session`): ORT_ENABLE_ALL, the same "
              'intra-op threads, spinning off. `rtmlib_our_opts` runs rtmlib on sessions made by our '
              '`create_session`, so the gap between it and `rtmlib` is the session settings, and the gap between '
              'ours and it is the pipeline (batched crops, float32 preprocessing, no per-crop session call).', '']
    lines += ['', 'rtmlib reads our ONNX files (same boxes in, keypoints compared with ours run on BGR crops):', '']
    for arch, res in report['models'].items():
        c = res['rtmlib_check']
        lines.append(f"- rtmpose-{arch}: boxes rtmlib {c['rtmlib_boxes']} / ours {c['our_boxes']} "
                     f"({c['matched_boxes_iou_0.5']} matched at IoU >= 0.5; corner difference median "
                     f"{c['median_box_diff_px']:.2f} px, max {c['max_box_diff_px']:.2f} px); keypoints for the same "
                     f"boxes: max diff {c['max_keypoint_diff_px']:.2f} px, median {c['median_keypoint_diff_px']:.2f} px")
    lines += ['', f"Note: {report['models'][next(iter(report['models']))]['rtmlib_check']['note']}.", '',
              f"Pose models: {report['pose_note']}", '']
    path.write_text('\n'.join(lines))


def write_plot(report: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    archs = list(report['models'])
    names = list(report['models'][archs[0]]['methods'])
    fig, (ax_fps, ax_ms) = plt.subplots(1, 2, figsize=(16, 8))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        values = [report['models'][a]['methods'][name]['fps'] for a in archs]
        bars = ax_fps.bar(np.arange(len(archs)) + i * width, values, width, label=name,
                          color=plt.cm.tab20(i % 20))  # more methods than the default 10 colours
        ax_fps.bar_label(bars, fmt='%.1f', fontsize=8)
    ax_fps.set_xticks(np.arange(len(archs)) + width * (len(names) - 1) / 2, [f'RTMPose-{a}' for a in archs])
    ax_fps.set_ylabel('frames per second (higher is better)')
    ax_fps.set_title('FPS, RTMDet-nano + RTMPose, CPU (ONNX Runtime; *_ov*: OpenVINO)')
    ax_fps.legend(fontsize=8)
    labels, bottoms = [], None
    rows = [(a, n) for a in archs for n in names]
    stages = ('detect', 'crop', 'pose', 'decode', 'nms', 'track', 'smooth')
    bottoms = np.zeros(len(rows))
    for stage in stages:
        values = np.array([report['models'][a]['methods'][n]['stage_ms_per_frame'][stage] for a, n in rows])
        ax_ms.barh(np.arange(len(rows)), values, left=bottoms, label=stage)
        bottoms += values
    labels = [f'{a}: {n}' for a, n in rows]
    ax_ms.set_yticks(np.arange(len(rows)), labels, fontsize=8)
    ax_ms.invert_yaxis()
    ax_ms.set_xlabel('ms per frame, by stage')
    ax_ms.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> int:
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
    args = parser.parse_args()
    if not VIDEO.is_file() or not (DET_DIR / 'end2end.onnx').is_file():
        raise SystemExit(f'needs {VIDEO} and {DET_DIR}/end2end.onnx (set RTMPOSE_SHARED)')
    try:
        import rtmlib
    except ImportError:
        raise SystemExit('rtmlib is not installed: pip install --no-deps rtmlib==0.0.16')
    import onnxruntime as ort

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
    report = {'video': str(VIDEO.relative_to(SHARED.parent)) if SHARED.parent in VIDEO.parents else str(VIDEO),
              'detector': 'shared/models/rtmdet-nano-person (official RTMDet-nano person, MMDeploy ONNX)',
              'threads': args.threads, 'chunk': args.chunk, 'cpu_count': os.cpu_count(),
              'load_before': [round(v, 2) for v in os.getloadavg()], 'onnxruntime': ort.__version__,
              'rtmlib': getattr(rtmlib, '__version__', '0.0.16'), 'python': platform.python_version(),
              'pose_note': 'random-weight exports with a peaked SimCC output (export_rtmpose_onnx(peaked=True)); '
                           'same graph and cost as a trained model, keypoints at a fixed layout plus '
                           'image-dependent noise, so speed is real but keypoint positions are not',
              'models': {}}
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

"""Real-time multi-person pose tracking demo (RTMPose paper, section 3.5): RTMDet + RTMPose + tracking + One-Euro.

    python demo/pose_tracker_demo.py INPUT --pose rtmpose-m            # a model name: downloaded once, cached
    python demo/pose_tracker_demo.py INPUT --det DET_MODEL --pose POSE_MODEL
        [--metainfo coco_wholebody] [--backend onnxruntime|openvino|ncnn|tensorrt|torch]
        [--precision f32|bf16|f16] [--device cpu]
        [--det-interval 5] [--no-smooth] [--out-dir DIR] [--overwrite] [--threads N] [--show-fps]

INPUT is an image, a folder of images, a video file or a webcam index (``0``). Writes into ``--out-dir``:

- the overlay (the model's skeleton in its dataset's colours as MMPose draws them, boxes and ``id N`` tags in one
  colour per track): ``<name>.mp4`` (H.264) for a video or webcam, ``<name>.<ext>`` for an image,
  ``<folder>/<image>`` for a folder (an overlay that would replace its input is named ``<image>_pose.<ext>``
  instead, and a folder's ``*_pose.*`` beside their images are skipped as such overlays);
- ``<name>.json``: COCO results (``image_id``, ``category_id`` 1, ``keypoints`` ``[x, y, score] * K``, ``score``)
  plus ``frame_index``, ``track_id`` and ``bbox`` (``x, y, w, h``), and ``<name>.categories.json``: the COCO
  category (keypoint names and skeleton) the keypoints are in. While running, the records go to
  ``<name>.jsonl``, flushed after every frame, and the video is a fragmented MP4 written as it goes: a crash,
  Ctrl-C or a full disk keeps every frame already done (the JSON array is written on the way out, else the
  ``.jsonl`` stays); after a hard kill the ``.jsonl`` and the video (to its last whole second) are kept.
  Ctrl-C or SIGTERM stops after the frame in hand, so the JSON and the video hold the same frames; a second one
  stops at once.

An ``--out-dir`` that already holds the result of this input (``<name>.json``, ``.jsonl`` or ``.mp4``) is left as
it is and the run is refused, unless ``--overwrite`` is given.

Models: ``--pose``/``--det`` are model names (``rtmpose-t|s|m|l``, ``rtmpose-m-384``, ``rtmpose-m-wholebody``,
``rtmpose-m-halpe26``, ``rtmpose-m-hand``, ``rtmpose-m-face``, ``rtmpose-m-ap10k``, ``rtmdet-nano``... see
``rtmpose.hub.model_zoo``; downloaded into ``$RTMPOSE_CACHE`` or ``~/.cache/rtmpose``, ``--det`` defaults to
the pose model's detector), ONNX files or MMDeploy SDK folders (onnxruntime), ``.param`` files (ncnn),
``.engine`` files (tensorrt, on a CUDA ``--device``) or OpenMMLab configs with ``--det-checkpoint``/
``--pose-checkpoint`` (torch). ``--backend`` picks the pose backend; the detector uses ``--det-backend``, else
``--backend`` when its file suits it, else the backend its file is for. ``--precision`` is OpenVINO's inference
precision for the models it runs: ``f32`` (default, ONNX Runtime's numbers) or ``bf16``/``f16`` (faster,
approximate; bf16 needs AVX512-BF16 or AMX); the precision that actually runs is printed. The keypoints (names,
skeleton, OKS sigmas, colours) come from the model's metadata (its name, config or SDK folder); ``--metainfo``
names them for a bare model file of another set than COCO-17.

A folder is read as independent photos (sorted by name; the tracker is reset for each) unless ``--sequence`` is
given, which tracks across them as video frames.

Exit status: 0 done; 1 bad input, model or output folder (nothing could be processed, or an earlier result is in
the way; the message says why); 2 bad arguments; 3 the video ended before its announced frame count (truncated or
corrupt; the frames read are processed and written); 4 the pipeline or writing its outputs failed part-way (e.g. a
full disk; results so far are kept and the message says where); 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..backends import BACKENDS, backend_options
from ..backends.openvino_backend import PRECISIONS
from ..hub import build_detector, build_pose_model, pair_backends
from ..hub.model_zoo import default_detector, is_model_name
from ..inference import PoseTracker, TrackerConfig
from ..inference.detector import Detector
from ..inference.pose_model import TopDownPoseModel
from ..media.frame_loop import FrameLoop, LoopSummary, pipeline_fps
from ..media.overlay_sink import OverlaySink
from ..media.results_io import IncrementalResults, write_categories
from ..media.sources import OVERLAY_SUFFIX, FrameSource, InputError
from .extras import explain

EXIT_OK, EXIT_INPUT, EXIT_TRUNCATED, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 3, 4, 130
#: The exit status of each :attr:`~rtmpose.media.frame_loop.LoopSummary.outcome`.
EXIT_STATUS = {'done': EXIT_OK, 'empty': EXIT_INPUT, 'truncated': EXIT_TRUNCATED, 'failed': EXIT_FAILED,
               'interrupted': EXIT_INTERRUPTED}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    add = parser.add_argument
    add('input', help='image, folder of images, video file or webcam index')
    add('--det', help='detector: a name (rtmdet-nano...; default: the --pose name\'s detector) or ONNX / MMDeploy SDK '
                      'folder / .param / .engine / config .py')
    add('--pose', required=True, help='RTMPose: a name (rtmpose-m, rtmpose-m-wholebody...) or ONNX / MMDeploy SDK '
                                      'folder / .param / .engine / config .py')
    add('--metainfo', help='keypoint set of --pose: a dataset name (coco_wholebody, halpe26...) or a metainfo .py')
    add('--backend', choices=list(BACKENDS), default=None, help='pose backend (default: from the --pose file)')
    add('--det-backend', choices=list(BACKENDS), default=None)
    add('--precision', choices=list(PRECISIONS), default=None, help='OpenVINO inference precision (default f32)')
    add('--det-checkpoint', help='detector checkpoint (torch)')
    add('--pose-checkpoint', help='RTMPose checkpoint (torch)')
    add('--det-meta', help='MMDeploy SDK folder with the detector preprocessing (ncnn)')
    add('--pose-meta', help='MMDeploy SDK folder with the pose preprocessing (onnxruntime, ncnn)')
    add('--device', default='cpu', help='cpu, cuda[:N] (onnxruntime/tensorrt/torch) or vulkan (ncnn)')
    add('--det-interval', type=int, default=1, help='run the detector every N frames')
    add('--no-smooth', action='store_true', help='no One-Euro smoothing')
    add('--out-dir', type=Path, default=Path('work_dirs/pose_tracker_demo'))
    add('--overwrite', action='store_true', help='replace an earlier result of this input in --out-dir')
    add('--threads', type=int, default=None, help='inference threads per model (not tensorrt: GPU)')
    add('--show-fps', action='store_true', help='draw the pipeline FPS on the frames')
    add('--det-score-thr', type=float, default=0.3)
    add('--kpt-thr', type=float, default=0.3, help='keypoints drawn above this score')
    add('--max-frames', type=int, default=None, help='stop after this many frames')
    add('--sequence', action='store_true', help='track across the images of a folder')
    add('--no-overlay', action='store_true', help='write the JSON only')
    add('--no-progress', action='store_true', help='no progress bar')
    args = parser.parse_args(argv)
    if args.det is None:
        try:
            args.det = default_detector(args.pose)
        except ValueError as err:
            parser.error(f'--det is required here: {err}')
    for name, value in (('det-interval', args.det_interval), ('threads', args.threads),
                        ('max-frames', args.max_frames)):
        if value is not None and value < 1:
            parser.error(f'--{name} must be >= 1')
    return args


def build_models(args: argparse.Namespace) -> tuple[Detector, TopDownPoseModel]:
    pose_backend, det_backend = pair_backends(args.pose, args.det, args.backend, args.det_backend)
    for what, model, checkpoint, backend in (('pose', args.pose, args.pose_checkpoint, pose_backend),
                                             ('det', args.det, args.det_checkpoint, det_backend)):
        if backend == 'torch' and not is_model_name(model) and checkpoint is None:
            raise ValueError(f'--{what} {model} is a config without weights: pass --{what}-checkpoint FILE.pth (the '
                             f'checkpoint trained with it), or a model name such as '
                             f'{"rtmpose-m" if what == "pose" else "rtmdet-nano"} --backend torch for the official one')
    if args.precision is not None and 'openvino' not in (pose_backend, det_backend):
        raise ValueError(f'--precision sets the OpenVINO precision, but no model runs on openvino (pose: '
                         f'{pose_backend}, detector: {det_backend}); add --backend openvino')
    det_kwargs = {'meta': args.det_meta} if args.det_meta and det_backend == 'ncnn' else {}
    pose_kwargs = {'meta': args.pose_meta} if args.pose_meta and pose_backend != 'torch' else {}
    for backend, kwargs in ((det_backend, det_kwargs), (pose_backend, pose_kwargs)):
        if args.precision is not None and backend == 'openvino':
            kwargs['precision'] = args.precision
    detector = build_detector(args.det, det_backend, args.device, _threads(args, det_backend), args.det_checkpoint,
                              score_thr=args.det_score_thr, **det_kwargs)
    pose = build_pose_model(args.pose, pose_backend, args.device, _threads(args, pose_backend), args.pose_checkpoint,
                            metainfo=args.metainfo, **pose_kwargs)
    return detector, pose


def describe(what: str, model, asked: str | None) -> str:
    """``'pose: openvino, f32 (bf16 asked: not supported here)'``: the runtime and the precision that runs."""
    runtime = model.backend
    actual = getattr(runtime, 'precision', None)
    text = f'{what}: {runtime.name}' + (f', {actual}' if actual else '')
    if asked is not None and actual is not None and actual != asked:
        text += f' ({asked} asked for, which this device does not run)'
    return text


def _threads(args: argparse.Namespace, backend: str) -> int | None:
    """``--threads`` for a runtime that has threads (a TensorRT engine runs on the GPU: it has none)."""
    return args.threads if 'threads' in backend_options(backend) else None


def independent_images(args: argparse.Namespace, source: FrameSource) -> bool:
    return source.kind == 'image' or (source.kind == 'folder' and not args.sequence)


def report(args: argparse.Namespace, summary: LoopSummary, tracker: PoseTracker, results: IncrementalResults,
           sink: OverlaySink) -> int:
    """Print the summary and the warnings; the exit status."""
    source = summary.source
    saved = results.path if results.finalized else results.partial
    print(f'{summary.frames} frame(s), {summary.poses} pose(s), pipeline {pipeline_fps(tracker):.1f} FPS '
          f'({tracker.det_frames} detector frame(s)); results: {saved}'
          + (f'; overlay: {sink.location}' if sink.written else ''))
    if args.show_fps and summary.frames:
        print(f"mean ms/frame: {', '.join(f'{k} {v:.1f}' for k, v in tracker.timer.mean_ms().items())}")
    if source.overlays:
        print(f'note: skipped {len(source.overlays)} image(s) named *{OVERLAY_SUFFIX}.* beside their own image '
              f'(overlays of an earlier run)', file=sys.stderr)
    if source.skipped:
        print(f'warning: {len(source.skipped)} unreadable image(s) skipped', file=sys.stderr)
    outcome, problem = summary.outcome, summary.problem()
    if outcome in ('failed', 'interrupted'):
        print(f'error: {problem}; the {summary.frames} frame(s) done are saved in {saved}', file=sys.stderr)
    elif outcome == 'empty':
        print(f'error: {problem}; wrote an empty result {saved}', file=sys.stderr)
    elif outcome == 'truncated':
        print(f'warning: {problem}', file=sys.stderr)
    return EXIT_STATUS[outcome]


def open_tracker(args: argparse.Namespace, source: FrameSource) -> PoseTracker:
    """The models and the tracker (``InputError`` naming the problem, else)."""
    try:
        detector, pose = build_models(args)
    except (OSError, ValueError, ImportError, RuntimeError) as err:  # OSError: missing file, failed download;
        raise InputError(f'could not load the models: {explain(err)}') from err  # RuntimeError: TensorRT, no GPU
    try:
        tracker = PoseTracker(detector, pose, TrackerConfig(
            smooth=not args.no_smooth, fps=source.fps,
            det_interval=1 if independent_images(args, source) else args.det_interval))
    except ValueError as err:  # e.g. a model of unknown keypoints without --metainfo
        raise InputError(f'could not set up the tracker: {err} (on the command line: --metainfo NAME_OR_FILE)') from err
    precision = args.precision if 'openvino' in (pose.backend.name, detector.backend.name) else None
    print(f'{describe("pose", pose, precision)} ({tracker.keypoint_set.name}, {pose.num_keypoints} keypoints); '
          f'{describe("detector", detector, precision)}')
    return tracker


def open_outputs(args: argparse.Namespace, source: FrameSource,
                 tracker: PoseTracker) -> tuple[IncrementalResults, OverlaySink]:
    """The results file and the overlay sink in ``--out-dir`` (``InputError`` naming the fix when they cannot be
    written there, or when an earlier result of this input is there and ``--overwrite`` is not given)."""
    check_out_dir(args.out_dir)
    sink = OverlaySink(source, args.out_dir, not args.no_overlay)
    json_path = args.out_dir / f'{source.name}.json'
    ours = [json_path, json_path.with_suffix('.jsonl')] + ([sink.video_path] if sink.is_video else [])
    earlier = next((path for path in ours if path.exists()), None)
    if earlier is not None and not args.overwrite:
        raise InputError(f'{earlier} holds the result of an earlier run, left as it is: pass --overwrite to '
                         f'replace it, or another --out-dir')
    try:
        results = IncrementalResults(json_path)
        write_categories(args.out_dir / f'{source.name}.categories.json', tracker.keypoint_set)
    except OSError as err:
        raise InputError(f'cannot write the results in {args.out_dir} ({err}): free some space or pass another '
                         f'--out-dir') from err
    return results, sink


def run(args: argparse.Namespace) -> int:
    source = FrameSource(args.input, args.max_frames,
                         on_skip=lambda why: print(f'warning: skipping {why}', file=sys.stderr))
    try:
        tracker = open_tracker(args, source)
        results, sink = open_outputs(args, source, tracker)
    except InputError:
        source.release()
        raise
    loop = FrameLoop(tracker, results, sink, draw=sink.enabled, kpt_thr=args.kpt_thr, show_fps=args.show_fps)
    summary = loop.run(source, independent=independent_images(args, source), progress=not args.no_progress)
    return report(args, summary, tracker, results, sink)


def check_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` and check that files can be written in it (``InputError`` naming the fix, else)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as err:
        what = 'is a file, not a folder' if out_dir.is_file() else f'cannot be written ({err.strerror or err})'
        raise InputError(f'the output folder {out_dir} {what}: pass another --out-dir') from err


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except InputError as err:
        print(f'error: {err}', file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print('interrupted', file=sys.stderr)
        return EXIT_INTERRUPTED

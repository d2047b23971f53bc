"""Real-time multi-person pose tracking demo (RTMPose paper, section 3.5): RTMDet + RTMPose + tracking + One-Euro.

    python demo/pose_tracker_demo.py INPUT --pose rtmpose-m            # a model name: downloaded once, cached
    python demo/pose_tracker_demo.py INPUT --det DET_MODEL --pose POSE_MODEL
        [--metainfo coco_wholebody] [--backend onnxruntime|openvino|ncnn|tensorrt|torch]
        [--precision f32|bf16|f16] [--device cpu]
        [--det-interval 5] [--no-smooth] [--out-dir DIR] [--threads N] [--show-fps]

INPUT is an image, a folder of images, a video file or a webcam index (``0``). Writes into ``--out-dir``:

- the overlay (the model's skeleton in its dataset's colours as MMPose draws them, boxes and ``id N`` tags in one
  colour per track): ``<name>.mp4`` for a video or webcam, ``<name>.<ext>`` for an image, ``<folder>/<image>`` for
  a folder;
- ``<name>.json``: COCO results (``image_id``, ``category_id`` 1, ``keypoints`` ``[x, y, score] * K``, ``score``)
  plus ``frame_index``, ``track_id`` and ``bbox`` (``x, y, w, h``), and ``<name>.categories.json``: the COCO
  category (keypoint names and skeleton) the keypoints are in. While running, the records go to
  ``<name>.jsonl``, flushed after every frame, and the video writer is released in a ``finally``: a crash or Ctrl-C
  keeps every frame already done (the JSON array is written on the way out; after a hard kill, the ``.jsonl``).
  Ctrl-C or SIGTERM stops after the frame in hand, so the JSON and the video hold the same frames; a second one
  stops at once.

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

Exit status: 0 done; 1 bad input or model (nothing could be processed; the message says why); 2 bad arguments;
3 the video ended before its announced frame count (truncated or corrupt; the frames read are processed and
written); 4 the pipeline failed part-way (results so far are written); 130 interrupted.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from rtmpose.backends import BACKENDS, backend_options
from rtmpose.backends.openvino_backend import PRECISIONS
from rtmpose.hub import build_detector, build_pose_model, guess_backend, normalize_backend
from rtmpose.hub.model_zoo import default_detector, is_model_name
from rtmpose.inference import PoseTracker
from rtmpose.inference.detector import Detector
from rtmpose.inference.pose_model import TopDownPoseModel
from rtmpose.media.overlay_sink import OverlaySink
from rtmpose.media.results_io import IncrementalResults, write_categories
from rtmpose.media.sources import FrameSource, InputError
from rtmpose.media.visualize import draw_poses

EXIT_OK, EXIT_INPUT, EXIT_TRUNCATED, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 3, 4, 130


def parse_args(argv=None) -> argparse.Namespace:
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


def _model_backend(backend: str | None, model: str) -> str:
    """The backend of a model name (``onnxruntime`` unless asked; the model table says which it has files for) or
    file."""
    return (backend or 'onnxruntime') if is_model_name(model) else normalize_backend(backend, model)


def pick_backends(args: argparse.Namespace) -> tuple[str, str]:
    """The pose and detector backends (``ValueError`` for a file that cannot run on the backend asked for)."""
    pose_backend = _model_backend(args.backend, args.pose)
    if args.det_backend:
        return pose_backend, _model_backend(args.det_backend, args.det)
    if args.backend is None:
        return pose_backend, 'onnxruntime' if is_model_name(args.det) else guess_backend(args.det)
    try:  # the pose backend, where the detector file runs on it (an ONNX file runs on onnxruntime and openvino)
        return pose_backend, _model_backend(pose_backend, args.det)
    except ValueError:
        det_backend = guess_backend(args.det)
        print(f'note: the detector {args.det} is a {det_backend} model; running it with {det_backend} '
              f'(pose: {pose_backend})', file=sys.stderr)
        return pose_backend, det_backend


def build_models(args: argparse.Namespace) -> tuple[Detector, TopDownPoseModel]:
    pose_backend, det_backend = pick_backends(args)
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


class _TerminatedError(Exception):
    pass


class _StopRequests:
    """SIGINT and SIGTERM handlers for the frame loop: the first signal asks the loop to stop after the frame in
    hand (so its result and overlay are both written, or neither), a second one interrupts at once. Signals belong
    to the process, so this lives in the script, not in the library."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self._previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:  # noqa: ARG002
        if self.reason is not None:  # asked twice: stop now
            raise KeyboardInterrupt() if signum == signal.SIGINT else _TerminatedError()
        self.reason = 'interrupted' if signum == signal.SIGINT else 'terminated (SIGTERM)'


def pipeline_fps(tracker: PoseTracker) -> float:
    seconds = tracker.timing_totals['total']
    return tracker.frames_processed / seconds if seconds > 0 else 0.0


def independent_images(args: argparse.Namespace, source: FrameSource) -> bool:
    return source.kind == 'image' or (source.kind == 'folder' and not args.sequence)


def track(args, source: FrameSource, tracker: PoseTracker, results: IncrementalResults,
          sink: OverlaySink) -> tuple[int, str | None]:
    """Run the frames of ``source`` through ``tracker`` into ``results`` and ``sink``; ``(exit status, why it
    stopped early or None)``. Bad input or output (:class:`InputError`) propagates."""
    independent = independent_images(args, source)
    bar = tqdm(total=source.total, unit='frame', desc=source.name, disable=args.no_progress, dynamic_ncols=True)
    stop = _StopRequests()
    try:
        for frame in source:
            if stop.reason is not None:
                break
            if independent:
                tracker.new_sequence()
            people = tracker(frame.image, frame.timestamp)
            extra = {'file_name': frame.name} if source.kind in ('image', 'folder') else None
            results.add_frame(people, frame.image_id, frame.index, extra)
            fps = pipeline_fps(tracker)
            if sink.enabled:
                sink.write(frame, draw_poses(frame.image, people, args.kpt_thr, keypoint_set=tracker.keypoint_set,
                                             fps=fps if args.show_fps else None))
            bar.update(1)
            bar.set_postfix(fps=f'{fps:.1f}', persons=len(people), refresh=False)
        return (EXIT_OK, None) if stop.reason is None else (EXIT_INTERRUPTED, stop.reason)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED, 'interrupted'
    except _TerminatedError:
        return EXIT_INTERRUPTED, 'terminated (SIGTERM)'
    except InputError:
        raise
    except Exception as err:  # keep what was written; report the failure clearly
        return EXIT_FAILED, f'the pipeline failed on frame {results.frames}: {type(err).__name__}: {err}'
    finally:
        bar.close()
        stop.restore()


def report(args, source: FrameSource, tracker: PoseTracker, results: IncrementalResults, sink: OverlaySink,
           status: int, failure: str | None) -> int:
    """Print the summary and the warnings; the exit status."""
    processed, json_path = results.frames, results.path
    print(f'{processed} frame(s), {results.count} pose(s), pipeline {pipeline_fps(tracker):.1f} FPS '
          f'({tracker.det_frames} detector frame(s)); results: {json_path}'
          + (f'; overlay: {sink.location}' if sink.written else ''))
    if args.show_fps and processed:
        print(f"mean ms/frame: {', '.join(f'{k} {v:.1f}' for k, v in tracker.mean_timings_ms().items())}")
    if source.skipped:
        print(f'warning: {len(source.skipped)} unreadable image(s) skipped', file=sys.stderr)
    if failure is not None:
        print(f'error: {failure}; the {processed} frame(s) done are saved in {json_path}', file=sys.stderr)
        return status
    if processed == 0:
        what = 'video' if source.kind == 'video' else 'input'
        print(f'error: no frames could be read from the {what} {args.input} (empty or corrupt); wrote an empty '
              f'result {json_path}', file=sys.stderr)
        return EXIT_INPUT
    if source.ended_early:
        print(f'warning: the video ended after {source.frames_read} of {source.total} announced frames (truncated or '
              f'corrupt?); the frames read are saved', file=sys.stderr)
        return EXIT_TRUNCATED
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    source = FrameSource(args.input, args.max_frames,
                         on_skip=lambda why: print(f'warning: skipping {why}', file=sys.stderr))
    try:
        detector, pose = build_models(args)
    except (OSError, ValueError, ImportError, RuntimeError) as err:  # OSError: missing file, failed download;
        source.release()  # RuntimeError: TensorRT without a GPU
        raise InputError(f'could not load the models: {err}') from err
    try:
        tracker = PoseTracker(detector, pose, smooth=not args.no_smooth, fps=source.fps,
                              det_interval=1 if independent_images(args, source) else args.det_interval)
    except ValueError as err:  # e.g. a model of unknown keypoints without --metainfo
        source.release()
        raise InputError(f'could not set up the tracker: {err} (on the command line: --metainfo NAME_OR_FILE)') from err
    precision = args.precision if 'openvino' in (pose.backend.name, detector.backend.name) else None
    print(f'{describe("pose", pose, precision)} ({tracker.keypoint_set.name}, {pose.num_keypoints} keypoints); '
          f'{describe("detector", detector, precision)}')
    check_out_dir(args.out_dir, source)
    results = IncrementalResults(args.out_dir / f'{source.name}.json')
    write_categories(args.out_dir / f'{source.name}.categories.json', tracker.keypoint_set)
    sink = OverlaySink(source, args.out_dir, not args.no_overlay)
    try:
        status, failure = track(args, source, tracker, results, sink)
    finally:
        sink.close()
        source.release()
        results.finalize()
    return report(args, source, tracker, results, sink, status, failure)


def check_out_dir(out_dir: Path, source: FrameSource) -> None:
    """Create ``out_dir`` and check that files can be written in it (``InputError`` naming the fix, else)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as err:
        source.release()
        what = 'is a file, not a folder' if out_dir.is_file() else f'cannot be written ({err.strerror or err})'
        raise InputError(f'the output folder {out_dir} {what}: pass another --out-dir') from err


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except InputError as err:
        print(f'error: {err}', file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print('interrupted', file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == '__main__':
    os.environ.setdefault('PYTHONUNBUFFERED', '1')
    sys.exit(main())

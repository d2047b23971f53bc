"""Real-time multi-person pose tracking demo (RTMPose paper, section 3.5): RTMDet + RTMPose + tracking + One-Euro.

    python demo/pose_tracker_demo.py INPUT --det DET_MODEL --pose POSE_MODEL
        [--backend onnxruntime|openvino|ncnn|torch] [--precision f32|bf16|f16] [--device cpu] [--det-interval 5]
        [--no-smooth] [--out-dir DIR] [--threads N] [--show-fps]

INPUT is an image, a folder of images, a video file or a webcam index (``0``). Writes into ``--out-dir``:

- the overlay (COCO skeleton in one colour per track, track ids, boxes): ``<name>.mp4`` for a video or webcam,
  ``<name>.<ext>`` for an image, ``<folder>/<image>`` for a folder;
- ``<name>.json``: COCO results (``image_id``, ``category_id`` 1, ``keypoints`` ``[x, y, score] * 17``, ``score``)
  plus ``frame_index``, ``track_id`` and ``bbox`` (``x, y, w, h``). While running, the records go to
  ``<name>.jsonl``, flushed after every frame, and the video writer is released in a ``finally``: a crash or Ctrl-C
  keeps every frame already done (the JSON array is written on the way out; after a hard kill, the ``.jsonl``).
  Ctrl-C or SIGTERM stops after the frame in hand, so the JSON and the video hold the same frames; a second one
  stops at once.

Models: ``--det``/``--pose`` are ONNX files or MMDeploy SDK folders (onnxruntime), ``.param`` files (ncnn) or
OpenMMLab configs with ``--det-checkpoint``/``--pose-checkpoint`` (torch). ``--backend`` picks the pose backend;
the detector uses ``--det-backend``, else ``--backend`` when its file suits it, else the backend its file is for.
``--precision`` is OpenVINO's inference precision for the models it runs: ``f32`` (default, ONNX Runtime's
numbers) or ``bf16``/``f16`` (faster, approximate; bf16 needs AVX512-BF16 or AMX).

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
import time
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO / 'projects') not in sys.path:
    sys.path.insert(0, str(REPO / 'projects'))

IMAGE_EXTS = {'.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff', '.jp2', '.pgm', '.ppm', '.pbm'}
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_TRUNCATED, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


class InputError(Exception):
    """Bad input or model: reported without a traceback, exit status 1."""


class Frame:
    __slots__ = ('index', 'image', 'image_id', 'name', 'timestamp')

    def __init__(self, index: int, image: np.ndarray, image_id: int | str, name: str, timestamp: float | None):
        self.index, self.image, self.image_id, self.name, self.timestamp = index, image, image_id, name, timestamp


def _image_id(path: Path, index: int) -> int | str:
    return int(path.stem) if path.stem.isdigit() else index


def read_image(path: Path) -> np.ndarray:
    """BGR image (grayscale and alpha images are converted by OpenCV); ``InputError`` when unreadable."""
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as err:
        raise InputError(f'cannot read {path}: {err}') from err
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None or image.size == 0:
        raise InputError(f'{path} is not a readable image (empty, corrupt or an unsupported format)')
    return image


class Source:
    """Frames of an image, an image folder, a video file or a webcam."""

    def __init__(self, spec: str, max_frames: int | None):
        self.spec = spec
        self.max_frames = max_frames
        self.fps = 30.0
        self.total: int | None = None
        self.skipped: list[str] = []
        self.ended_early = False
        self.capture = None
        self.first_image: np.ndarray | None = None
        self.frames_read = 0
        path = Path(spec).expanduser()
        if not path.exists():
            if spec.isdigit():
                self.kind, self.name = 'webcam', f'webcam{spec}'
                self.capture = cv2.VideoCapture(int(spec))
                if not self.capture.isOpened():
                    raise InputError(f'cannot open webcam {spec} (no camera with this index?)')
                self.fps = self.capture.get(cv2.CAP_PROP_FPS) or 30.0
                return
            raise InputError(f'input not found: {spec} (give an image, a folder of images, a video file or a '
                             f'webcam index)')
        self.path = path
        if path.is_dir():
            self.kind, self.name = 'folder', path.resolve().name or 'images'
            self.files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTS)
            if not self.files:
                raise InputError(f'no images ({", ".join(sorted(IMAGE_EXTS))}) in the folder {path}')
            self.total = len(self.files)
        elif path.suffix.lower() in IMAGE_EXTS:
            self.kind, self.name, self.files, self.total = 'image', path.stem, [path], 1
            self.first_image = read_image(path)  # fail before any output is created
        else:
            self.kind, self.name = 'video', path.stem
            if path.stat().st_size == 0:
                raise InputError(f'{path} is empty (0 bytes)')
            self.capture = cv2.VideoCapture(str(path))
            if not self.capture.isOpened():
                raise InputError(f'cannot open {path} as a video (corrupt, truncated, or not a video file)')
            fps = self.capture.get(cv2.CAP_PROP_FPS)
            self.fps = fps if fps and np.isfinite(fps) and 0 < fps < 1000 else 30.0
            count = int(self.capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
            self.total = count if count > 0 else None
        if self.max_frames is not None and self.total is not None:
            self.total = min(self.total, self.max_frames)

    def __iter__(self) -> Iterator[Frame]:
        if self.kind in ('image', 'folder'):
            yield from self._images()
        else:
            yield from self._video()

    def _images(self) -> Iterator[Frame]:
        count = 0
        for index, file in enumerate(self.files):
            if self.max_frames is not None and count >= self.max_frames:
                return
            try:
                image, self.first_image = self.first_image, None
                image = read_image(file) if image is None else image
            except InputError as err:
                if self.kind == 'image':
                    raise
                self.skipped.append(str(err))
                print(f'warning: skipping {err}', file=sys.stderr)
                continue
            count += 1
            yield Frame(index, image, _image_id(file, index), file.name, None)

    def _video(self) -> Iterator[Frame]:
        index = 0
        while self.max_frames is None or index < self.max_frames:
            ok, image = self.capture.read()
            if not ok or image is None:
                break
            yield Frame(index, image, index, f'{self.name}_{index:06d}', index / self.fps)
            index += 1
        expected = self.total
        if self.kind == 'video' and expected is not None and index < expected:
            self.ended_early = True
        self.frames_read = index

    def release(self) -> None:
        if self.capture is not None:
            self.capture.release()


class OverlaySink:
    """Writes overlay frames: a video (released in :meth:`close`) or image files."""

    def __init__(self, source: Source, out_dir: Path, enabled: bool):
        self.enabled = enabled
        self.writer = None
        self.kind = source.kind
        self.out_dir = out_dir
        self.fps = source.fps
        self.source_path = getattr(source, 'path', None)
        if source.kind in ('video', 'webcam'):
            self.video_path = self._not_the_input(out_dir / f'{source.name}.mp4')
        elif source.kind == 'folder':
            self.image_dir = out_dir / source.name
        self.written = 0
        self.size: tuple[int, int] | None = None

    def _not_the_input(self, target: Path) -> Path:
        """``target``, or ``<stem>_pose<ext>`` when ``target`` is the input itself (never overwrite the input)."""
        source = self.source_path
        if source is None or not target.exists():
            return target
        inputs = [source] + ([source / target.name] if source.is_dir() else [])
        if any(target.resolve() == p.resolve() for p in inputs if p.exists()):
            return target.with_name(f'{target.stem}_pose{target.suffix}')
        return target

    def write(self, frame: Frame, canvas: np.ndarray) -> None:
        if not self.enabled:
            return
        if self.kind in ('video', 'webcam'):
            height, width = canvas.shape[:2]
            if self.writer is None:
                self.video_path.parent.mkdir(parents=True, exist_ok=True)
                self.writer = cv2.VideoWriter(str(self.video_path), cv2.VideoWriter_fourcc(*'mp4v'), self.fps,
                                              (width, height))
                if not self.writer.isOpened():
                    raise InputError(f'cannot write the video {self.video_path}')
                self.size = (width, height)
            if (width, height) != self.size:
                canvas = cv2.resize(canvas, self.size)
            self.writer.write(canvas)
        else:
            target = self._not_the_input((self.image_dir if self.kind == 'folder' else self.out_dir) / frame.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not cv2.imwrite(str(target), canvas):
                target = target.with_suffix('.png')
                if not cv2.imwrite(str(target), canvas):
                    raise InputError(f'cannot write {target}')
        self.written += 1

    def close(self) -> None:
        if self.writer is not None:
            self.writer.release()
            self.writer = None


def build_models(args: argparse.Namespace):
    from rtmpose.inference import build_detector, build_pose_model, guess_backend
    from rtmpose.inference.backends import normalize_backend

    pose_backend = normalize_backend(args.backend, args.pose)
    if args.det_backend:
        det_backend = normalize_backend(args.det_backend, args.det)
    elif args.backend is None:
        det_backend = guess_backend(args.det)
    else:
        try:  # the pose backend, where the detector file runs on it (an ONNX file runs on onnxruntime and openvino)
            det_backend = normalize_backend(pose_backend, args.det)
        except ValueError:
            det_backend = guess_backend(args.det)
            print(f'note: the detector {args.det} is a {det_backend} model; running it with {det_backend} '
                  f'(pose: {pose_backend})', file=sys.stderr)
    if args.precision is not None and 'openvino' not in (pose_backend, det_backend):
        raise ValueError(f'--precision sets the OpenVINO precision, but no model runs on openvino (pose: '
                         f'{pose_backend}, detector: {det_backend}); add --backend openvino')
    det_kwargs = {'meta': args.det_meta} if args.det_meta and det_backend == 'ncnn' else {}
    if args.precision is not None and det_backend == 'openvino':
        det_kwargs['precision'] = args.precision
    detector = build_detector(args.det, det_backend, args.device, args.threads, args.det_checkpoint,
                              score_thr=args.det_score_thr, **det_kwargs)
    pose_kwargs = {'meta': args.pose_meta} if args.pose_meta and pose_backend != 'torch' else {}
    if args.precision is not None and pose_backend == 'openvino':
        pose_kwargs['precision'] = args.precision
    pose = build_pose_model(args.pose, pose_backend, args.device, args.threads, args.pose_checkpoint, **pose_kwargs)
    return detector, pose


def parse_args(argv=None) -> argparse.Namespace:
    from rtmpose.inference.backends import BACKENDS
    from rtmpose.inference.openvino_backend import PRECISIONS

    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument('input', help='image, folder of images, video file or webcam index')
    parser.add_argument('--det', required=True, help='detector: ONNX / MMDeploy SDK folder / .param / config .py')
    parser.add_argument('--pose', required=True, help='RTMPose: ONNX / MMDeploy SDK folder / .param / config .py')
    parser.add_argument('--backend', choices=list(BACKENDS), default=None,
                        help='pose backend (default: from the --pose file)')
    parser.add_argument('--det-backend', choices=list(BACKENDS), default=None)
    parser.add_argument('--precision', choices=list(PRECISIONS), default=None,
                        help='OpenVINO inference precision (default f32)')
    parser.add_argument('--det-checkpoint', help='detector checkpoint (torch)')
    parser.add_argument('--pose-checkpoint', help='RTMPose checkpoint (torch)')
    parser.add_argument('--det-meta', help='MMDeploy SDK folder with the detector preprocessing (ncnn)')
    parser.add_argument('--pose-meta', help='MMDeploy SDK folder with the pose preprocessing (onnxruntime, ncnn)')
    parser.add_argument('--device', default='cpu', help='cpu, cuda[:N] (onnxruntime/torch) or vulkan (ncnn)')
    parser.add_argument('--det-interval', type=int, default=1, help='run the detector every N frames')
    parser.add_argument('--no-smooth', action='store_true', help='no One-Euro smoothing')
    parser.add_argument('--out-dir', type=Path, default=Path('work_dirs/pose_tracker_demo'))
    parser.add_argument('--threads', type=int, default=None, help='inference threads per model')
    parser.add_argument('--show-fps', action='store_true', help='draw the pipeline FPS on the frames')
    parser.add_argument('--det-score-thr', type=float, default=0.3)
    parser.add_argument('--kpt-thr', type=float, default=0.3, help='keypoints drawn above this score')
    parser.add_argument('--max-frames', type=int, default=None, help='stop after this many frames')
    parser.add_argument('--sequence', action='store_true', help='track across the images of a folder')
    parser.add_argument('--no-overlay', action='store_true', help='write the JSON only')
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    args = parser.parse_args(argv)
    if args.det_interval < 1:
        parser.error('--det-interval must be >= 1')
    if args.threads is not None and args.threads < 1:
        parser.error('--threads must be >= 1')
    if args.max_frames is not None and args.max_frames < 1:
        parser.error('--max-frames must be >= 1')
    return args


class _Terminated(Exception):
    pass


class _StopRequests:
    """SIGINT and SIGTERM handlers for the frame loop: the first signal asks the loop to stop after the frame in
    hand (so its result and overlay are both written, or neither), a second one interrupts at once."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self._previous = {}

    def install(self) -> '_StopRequests':
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:  # noqa: ARG002
        if self.reason is not None:  # asked twice: stop now
            raise KeyboardInterrupt() if signum == signal.SIGINT else _Terminated()
        self.reason = 'interrupted' if signum == signal.SIGINT else 'terminated (SIGTERM)'


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from rtmpose.inference import PoseTracker
    from rtmpose.inference.results_io import IncrementalResults
    from rtmpose.inference.visualize import draw_poses

    source = Source(args.input, args.max_frames)
    try:
        detector, pose = build_models(args)
    except (FileNotFoundError, ValueError, ImportError, RuntimeError) as err:
        source.release()
        raise InputError(f'could not load the models: {err}') from err
    independent = source.kind == 'image' or (source.kind == 'folder' and not args.sequence)
    tracker = PoseTracker(detector, pose, det_interval=1 if independent else args.det_interval,
                          smooth=not args.no_smooth, fps=source.fps)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    results = IncrementalResults(args.out_dir / f'{source.name}.json')
    sink = OverlaySink(source, args.out_dir, not args.no_overlay)
    status, failure = EXIT_OK, None
    processed = persons = 0
    pipeline_s = 0.0
    stop = _StopRequests().install()
    bar = tqdm(total=source.total, unit='frame', desc=source.name, disable=args.no_progress, dynamic_ncols=True)
    try:
        for frame in source:
            if stop.reason is not None:
                break
            if independent:
                tracker.new_sequence()
            tic = time.perf_counter()
            people = tracker(frame.image, frame.timestamp)
            pipeline_s += time.perf_counter() - tic
            extra = {'file_name': frame.name} if source.kind in ('image', 'folder') else None
            results.add_frame(people, frame.image_id, frame.index, extra)
            processed += 1
            persons += len(people)
            fps = processed / pipeline_s if pipeline_s > 0 else 0.0
            if sink.enabled:
                sink.write(frame, draw_poses(frame.image, people, args.kpt_thr,
                                             fps=fps if args.show_fps else None))
            bar.update(1)
            bar.set_postfix(fps=f'{fps:.1f}', persons=len(people), refresh=False)
        if stop.reason is not None:
            status, failure = EXIT_INTERRUPTED, stop.reason
    except KeyboardInterrupt:
        status, failure = EXIT_INTERRUPTED, 'interrupted'
    except _Terminated:
        status, failure = EXIT_INTERRUPTED, 'terminated (SIGTERM)'
    except InputError:
        raise
    except Exception as err:  # keep what was written; report the failure clearly
        status, failure = EXIT_FAILED, f'the pipeline failed on frame {processed}: {type(err).__name__}: {err}'
    finally:
        bar.close()
        stop.restore()
        sink.close()
        source.release()
        json_path = results.finalize()
    fps = processed / pipeline_s if pipeline_s > 0 else 0.0
    print(f'{processed} frame(s), {persons} pose(s), pipeline {fps:.1f} FPS '
          f'({tracker.det_frames} detector frame(s)); results: {json_path}'
          + (f'; overlay: {sink.video_path if sink.kind in ("video", "webcam") else args.out_dir}'
             if sink.written else ''))
    if args.show_fps and processed:
        stages = ', '.join(f'{k} {v:.1f}' for k, v in tracker.mean_timings_ms().items())
        print(f'mean ms/frame: {stages}')
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

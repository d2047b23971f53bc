"""Browser demo of the RTMPose pipeline: upload an image or a video (or use the webcam), choose the pose model and
the runtime, and see the skeleton overlay, the people per frame, the time of each stage, and download the COCO-format
JSON.

    python demo/webui.py [--pose MODEL ...] [--det DET_MODEL] [--port 7860] [--host 127.0.0.1]
        [--max-frames 300] [--threads N] [--device cpu] [--work-dir DIR]

Then open http://127.0.0.1:7860 in a browser. ``--pose`` (repeatable) lists the pose models offered: names of the
model table (:mod:`rtmpose.hub.model_zoo`, downloaded and cached on first use; default: all of them) or files
as ``build_pose_model`` takes them (ONNX, MMDeploy SDK folder, ``.param``, config ``.py``). ``--det`` is the detector
(default: each named model's own). Uploads run one at a time; a long video shows its progress and the latest frame,
and ``--max-frames`` caps the frames of one upload. The uploads and results stay under ``--work-dir``. Ctrl-C (or
SIGTERM) stops the server after the frame in hand of a running upload, whose overlay and results are kept.

The server listens on 127.0.0.1 only unless ``--host`` says otherwise (it has no authentication: do not expose it).
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ..webui.choices import ModelChoices, zoo_pose_names
from ..webui.jobs import JobQueue
from ..webui.server import DemoServer
from ..webui.webcam import WebcamSessions


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    add = parser.add_argument
    add('--pose', action='append', help='pose model name or file (repeat to offer several; default: all names)')
    add('--det', help='detector name or file (default: each named pose model\'s own)')
    add('--host', default='127.0.0.1')
    add('--port', type=int, default=7860, help='port (0: any free one)')
    add('--max-frames', type=int, default=300, help='frames processed at most per upload')
    add('--threads', type=int, default=None, help='inference threads per model')
    add('--device', default='cpu')
    add('--work-dir', type=Path, default=Path('work_dirs/webui'), help='uploads and results')
    args = parser.parse_args(argv)
    if args.max_frames < 1:
        parser.error('--max-frames must be >= 1')
    return args


def _interrupt(signum: int, frame: object) -> None:  # noqa: ARG001 - signal's signature
    raise KeyboardInterrupt()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    poses = args.pose or zoo_pose_names()
    missing = [p for p in poses if ('/' in p or '.' in Path(p).name) and not Path(p).exists()]
    if missing:
        print(f'error: model file not found: {missing[0]}', file=sys.stderr)
        return 1
    if args.det is None and any(Path(p).exists() for p in poses):
        print('error: a pose model file needs its detector: add --det DET_MODEL', file=sys.stderr)
        return 1
    choices = ModelChoices(poses, args.det, args.device, args.threads)
    server = DemoServer((args.host, args.port), JobQueue(args.work_dir, choices, args.max_frames),
                        WebcamSessions(choices))
    host, port = server.server_address[:2]
    previous = signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops as Ctrl-C does
    print(f'RTMPose demo on http://{host}:{port} (Ctrl-C stops it)', flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('stopping: the upload in hand ends after its frame', file=sys.stderr, flush=True)
    finally:
        server.server_close()
        server.shutdown_jobs('the server was stopped')
        signal.signal(signal.SIGTERM, previous)
    return 0

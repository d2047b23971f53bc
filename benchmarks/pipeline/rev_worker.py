"""One side of ``pipeline_speed.py --compare-rev``: the tracker of whichever ``rtmpose`` package comes first on
``PYTHONPATH`` (the working tree's, or another revision's unpacked by :mod:`.revisions`), run on the chunks of
frames it is told to run, so that two package versions take turns under the same load.

Protocol (one JSON object per line): it prints ``{"package": path}`` once ready (models open, one untimed frame run);
then for each ``{"chunk": [start, stop]}`` read on stdin it runs those frames (``start == 0`` begins a new
sequence: a new pass over the video) and prints ``{"cpu_seconds": s}``, the CPU time of this process (all its
threads) for them; ``{"summary": true}`` prints the summed stage
seconds, frames, persons and detector frames.

The revisions differ in API (before 19f5d78 the models were built by ``rtmpose.inference``; before
``TrackerConfig`` the settings were keywords; before ``StageTimer`` the times were ``tracker.timing_totals``):
:func:`open_tracker` and :func:`stage_seconds` adapt to the package they find.

Run by :mod:`.revisions`: ``python -m pipeline.rev_worker POSE_ONNX FRAMES THREADS DET_INTERVAL`` in
``benchmarks/``.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from .workload import DET_DIR, load_frames


def open_tracker(pose_path: str, threads: int, det_interval: int) -> Any:
    """The package's tracker on RTMDet-nano and ``pose_path``, both on ONNX Runtime with ``threads`` threads."""
    from rtmpose import inference

    try:
        from rtmpose.hub import build_detector, build_pose_model
    except ImportError:  # before 19f5d78: the builders lived in rtmpose.inference
        build_detector, build_pose_model = inference.build_detector, inference.build_pose_model
    detector = build_detector(DET_DIR, 'onnxruntime', threads=threads)
    pose = build_pose_model(pose_path, 'onnxruntime', threads=threads)
    if hasattr(inference, 'TrackerConfig'):
        return inference.PoseTracker(detector, pose, inference.TrackerConfig(det_interval=det_interval))
    return inference.PoseTracker(detector, pose, det_interval=det_interval)


def stage_seconds(tracker: Any) -> dict[str, float]:
    """Seconds per stage summed over the frames run (``'total'``: whole frames)."""
    timer = getattr(tracker, 'timer', None)
    return dict(timer.totals) if timer is not None else dict(tracker.timing_totals)


def serve(tracker: Any, frames: list) -> None:
    """Answer the commands on stdin until it closes."""
    persons = 0
    for line in sys.stdin:
        command = json.loads(line)
        if 'chunk' in command:
            start, stop = command['chunk']
            if start == 0:
                tracker.new_sequence()
            tic = time.process_time()
            for frame in frames[start:stop]:
                persons += len(tracker(frame))
            answer: dict[str, Any] = {'cpu_seconds': time.process_time() - tic}
        else:
            answer = {'stage_s': stage_seconds(tracker), 'det_frames': tracker.det_frames, 'persons': persons}
        print(json.dumps(answer), flush=True)


def main() -> None:
    pose_path, count, threads, det_interval = sys.argv[1], *map(int, sys.argv[2:5])
    frames = load_frames(count)
    tracker = open_tracker(pose_path, threads, det_interval)
    tracker(frames[-1])  # ONNX Runtime's first run allocates
    tracker.reset()
    import rtmpose

    print(json.dumps({'package': str(Path(rtmpose.__file__).parent)}), flush=True)
    serve(tracker, frames)


if __name__ == '__main__':
    main()

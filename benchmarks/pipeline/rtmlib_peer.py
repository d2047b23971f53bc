"""rtmlib (``RTMDet`` + ``RTMPose``) as the peer the pipeline is timed against, on the same two ONNX files.

rtmlib's public API takes no session options: ``RTMDet`` / ``RTMPose`` open their own ONNX Runtime session (default
``SessionOptions``) or OpenVINO model (``PERFORMANCE_HINT: LATENCY`` only) and hide it behind ``inference``. To
time rtmlib with a given thread count, or with our options, :class:`RtmlibPipeline` runs rtmlib's public
``preprocess`` / ``postprocess`` as its ``__call__`` does and feeds the network input to a runtime of
:mod:`rtmpose.backends` opened with those options, the way rtmlib's ``BaseTool.inference`` feeds its session
(``(1, 3, h, w)`` float32, all outputs); nothing inside rtmlib's objects is replaced. With no runtime it calls
rtmlib's own ``inference`` on its own OpenVINO model, as rtmlib compiles it.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from rtmpose.backends import Backend, open_backend
from rtmpose.inference.stage_timer import StageTimer
from rtmpose.inference.tracker import STAGES

from .workload import DET_DIR


def _feed(runtime: Backend) -> Callable[[np.ndarray], list[np.ndarray]]:
    """``network(image (h, w, 3)) -> outputs``, fed as rtmlib's ``BaseTool.inference`` feeds its session."""

    def network(image: np.ndarray) -> list[np.ndarray]:
        return runtime(np.ascontiguousarray(image.transpose(2, 0, 1), dtype=np.float32)[None])

    return network


class RtmlibPipeline:
    """rtmlib's RTMDet + RTMPose, called as rtmlib's ``RTMPose.__call__`` does (detector every frame, one network
    call per crop, no tracking or smoothing), with timers between its steps.

    Args:
        pose_path: the RTMPose ONNX file (the detector is RTMDet-nano).
        runtime: the runtime both networks run on, opened by ``open_backend(runtime, file, **options)``; ``None``:
            rtmlib's own OpenVINO backend as rtmlib compiles it (OpenVINO's defaults: all cores, bfloat16 on CPUs
            that have it).
        solution: ``'body'``: the pose model is ``rtmlib.RTMPose`` as rtmlib's ``Body`` makes it; ``'wholebody'``:
            the ``pose_model`` of an ``rtmlib.Wholebody`` made on the same two files (an ``RTMPose`` with
            ``to_openpose=False``: the 133 COCO-WholeBody keypoints). The detector is ``rtmlib.RTMDet`` for both:
            ``Wholebody`` puts the detector file in a ``YOLOX``, whose preprocessing does not normalise the image as
            RTMDet-nano needs, so its ``det_model`` is not used.
        options: the runtime's options (``threads``, ``allow_spinning``, ``precision``).
    """

    def __init__(self, pose_path: Path, runtime: str | None, solution: str = 'body', **options: Any):
        from rtmlib import RTMDet, RTMPose, Wholebody

        det_onnx, pose_onnx = str(DET_DIR / 'end2end.onnx'), str(pose_path)
        backend = 'openvino' if runtime is None else 'onnxruntime'  # rtmlib's own network: with runtime None only
        self.det = RTMDet(det_onnx, model_input_size=(320, 320), backend=backend, device='cpu')
        if solution == 'wholebody':
            self.pose = Wholebody(det=det_onnx, det_input_size=(320, 320), pose=pose_onnx,
                                  pose_input_size=(192, 256), backend=backend, device='cpu').pose_model
        elif solution == 'body':
            self.pose = RTMPose(pose_onnx, model_input_size=(192, 256), backend=backend, device='cpu')
        else:
            raise ValueError(f"solution must be 'body' or 'wholebody', got {solution!r}")
        if runtime is None:
            self.det_network, self.pose_network = self.det.inference, self.pose.inference
        else:
            self.det_network = _feed(open_backend(runtime, det_onnx, **options))
            self.pose_network = _feed(open_backend(runtime, pose_onnx, **options))
        self.timer = StageTimer(STAGES)
        self.reset()

    def reset(self) -> None:
        self.timer.reset()
        self.persons = 0
        self.results: list = []

    def extra_results(self) -> dict:
        return {}

    def run(self, frame: np.ndarray) -> None:
        with self.timer.frame():
            with self.timer.stage('detect'):
                image, ratio = self.det.preprocess(frame)
                boxes = self.det.postprocess(self.det_network(image)[0], ratio)
            bboxes = boxes if len(boxes) else [[0, 0, frame.shape[1], frame.shape[0]]]  # rtmlib's RTMPose.__call__
            keypoints, scores = [], []
            for bbox in bboxes:
                with self.timer.stage('crop'):
                    crop, center, scale = self.pose.preprocess(frame, bbox)
                with self.timer.stage('pose'):
                    outputs = self.pose_network(crop)
                with self.timer.stage('decode'):
                    kpts, score = self.pose.postprocess(outputs, center, scale)
                keypoints.append(kpts)
                scores.append(score)
        self.persons += len(boxes)
        self.results.append((np.asarray(boxes), np.concatenate(keypoints), np.concatenate(scores)))


RTMLIB_NOTE = ('rtmlib 0.0.16 RTMPose feeds BGR crops (no BGR->RGB swap, unlike the MMDeploy pipeline.json: '
               'to_rgb=true) and scores a keypoint by the mean of the x/y maxima (MMPose: the minimum); its RTMDet '
               'resizes with int() truncation instead of rounding')


def check_rtmlib_reads_our_files(rtmlib: RtmlibPipeline, detector: Callable, pose_path: Path, frame: np.ndarray,
                                 threads: int) -> dict:
    """rtmlib end to end (its own ``RTMDet`` / ``RTMPose`` ``__call__``) and ours on one frame: boxes, and
    keypoints for the same boxes (rtmlib feeds BGR crops, so ours is run with ``to_rgb=False`` for this).

    Args:
        rtmlib: a pipeline made with ``runtime='onnxruntime'`` (its rtmlib objects have their own sessions).
        detector: our detector on the same file.
    """
    from rtmpose.hub import build_pose_model
    from rtmpose.inference.preprocess import clip_boxes
    from rtmpose.inference.tracker import box_iou

    lib_boxes = np.asarray(rtmlib.det(frame), np.float32).reshape(-1, 4)
    our_boxes, _ = detector(frame)
    lib_kpts, _ = rtmlib.pose(frame, lib_boxes)
    our_kpts, _ = build_pose_model(pose_path, 'onnxruntime', threads=threads, to_rgb=False)(frame, lib_boxes)
    iou = box_iou(lib_boxes, our_boxes)
    matched = iou.max(axis=1) >= 0.5 if iou.size else np.zeros(len(lib_boxes), bool)
    diffs = np.abs(clip_boxes(lib_boxes, frame.shape) - our_boxes[iou.argmax(axis=1)]).max(axis=1)[matched] \
        if iou.size else np.zeros(0)
    return {'rtmlib_boxes': len(lib_boxes), 'our_boxes': len(our_boxes), 'matched_boxes_iou_0.5': int(matched.sum()),
            'median_box_diff_px': float(np.median(diffs)) if len(diffs) else None,
            'max_box_diff_px': float(diffs.max()) if len(diffs) else None,
            'max_keypoint_diff_px': float(np.abs(lib_kpts - our_kpts).max()),
            'median_keypoint_diff_px': float(np.median(np.abs(lib_kpts - our_kpts))),
            'note': RTMLIB_NOTE}

"""What the pipeline benchmark runs on: the video frames, the official RTMDet-nano person detector, and the pose
models (random-weight RTMPose exports with a peaked SimCC output, and their INT8 quantisation), cached."""
from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get('RTMPOSE_SHARED', REPO.parent / 'shared'))
VIDEO = SHARED / 'video' / 'mmdeploy_arm_wrestling.mp4'
DET_DIR = SHARED / 'models' / 'rtmdet-nano-person'
RESULTS = REPO / 'benchmarks' / 'results'

#: the pose models ``--models`` takes, by name: their config under ``configs/``, all 256x192
POSE_CONFIGS = {**{arch: f'rtmpose-{arch}_coco.py' for arch in 'tsml'},
                'wholebody-l': 'wholebody/rtmpose-l_coco-wholebody.py'}
#: the keypoint set (MMPose dataset name) of the models that do not predict COCO-17
KEYPOINT_SETS = {'wholebody-l': 'coco_wholebody'}


def shown(path: Path) -> str:
    """``path`` relative to the repository when inside it (e.g. the default cache), else as it is."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def load_frames(count: int) -> list[np.ndarray]:
    """The first ``count`` frames of the video, BGR ``(256, 340, 3)``, decoded into memory (decoding is not
    timed)."""
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


def person_crops(frames: list[np.ndarray]) -> np.ndarray:
    """``(N, 3, 256, 192)`` normalised pose inputs of the RTMDet-nano boxes of ``frames`` (MMPose's defaults)."""
    from rtmpose.hub import build_detector
    from rtmpose.inference import CropConfig
    from rtmpose.inference.preprocess import bboxes_to_center_scale, crop_batch, normalize_batch

    detector, crop = build_detector(DET_DIR), CropConfig()
    inputs = []
    for frame in frames:
        centers, scales = bboxes_to_center_scale(detector(frame)[0], crop.input_size, crop.padding)
        crops, _ = crop_batch(frame, centers, scales, crop.input_size)
        inputs.append(normalize_batch(crops, crop.mean, crop.std, crop.to_rgb))
    return np.concatenate(inputs)


def pose_config(arch: str) -> Path:
    """The config of the pose model ``arch`` (a key of :data:`POSE_CONFIGS`)."""
    return REPO / 'configs' / POSE_CONFIGS[arch]


def pose_onnx(arch: str, cache: Path, frames: list[np.ndarray]) -> Path:
    """The cached peaked RTMPose-``arch`` export (made on first use: random weights, seed 0, the head's noise
    calibrated on real crops of the first frame; one peak per keypoint, any ``K``)."""
    path = cache / f'rtmpose-{arch}_peaked.onnx'
    if path.is_file():
        return path
    import torch

    from rtmpose.deploy.torch_export import export_module
    from rtmpose.hub.openmmlab import build_rtmpose_model
    from rtmpose.testing.peaked import PeakedSimCCNet

    print(f'exporting {path} ...', flush=True)
    calib = person_crops(frames[:1])
    torch.manual_seed(0)
    model = build_rtmpose_model(pose_config(arch))
    net = PeakedSimCCNet(model, calib_inputs=calib)
    return export_module(net, model.head.decoder.input_size, path)


def pose_onnx_int8(fp32_path: Path, frames: list[np.ndarray]) -> Path:
    """The cached static INT8 quantisation of ``fp32_path`` (``rtmpose.deploy.ort_int8``), calibrated on the
    crops of the detector boxes of every 10th frame."""
    path = fp32_path.with_name(fp32_path.stem + '_int8.onnx')
    if path.is_file():
        return path
    from rtmpose.deploy.ort_int8 import quantize_int8

    print(f'quantising {path} ...', flush=True)
    return quantize_int8(fp32_path, path, person_crops(frames[::10]))

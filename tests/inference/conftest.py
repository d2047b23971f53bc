"""Fixtures for the ONNX Runtime inference tests: real detector, dummy pose models, real video frames."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.inference.dummy_pose import build_dummy_pose_onnx

NUM_VIDEO_FRAMES = 30


@pytest.fixture(scope='session')
def det_dir(shared_dir: Path) -> Path:
    """The official RTMDet-nano person detector as an MMDeploy SDK folder (skips without ../shared)."""
    folder = shared_dir / 'models' / 'rtmdet-nano-person'
    if not (folder / 'end2end.onnx').is_file():
        pytest.skip(f'RTMDet-nano ONNX not found under {folder}')
    return folder


@pytest.fixture(scope='session')
def detector(det_dir: Path):
    from rtmpose.inference.detector import RTMDetONNX
    return RTMDetONNX(det_dir, intra_op_threads=2)


@pytest.fixture(scope='session')
def pose_meta_dir(shared_dir: Path) -> Path:
    folder = shared_dir / 'models' / 'rtmpose-m-sdk-meta'
    if not (folder / 'pipeline.json').is_file():
        pytest.skip(f'official RTMPose-m SDK meta not found under {folder}')
    return folder


@pytest.fixture(scope='session')
def dummy_models(tmp_path_factory) -> dict[str, Path]:
    """Dummy RTMPose ONNX files: dynamic batch, static batch 1, and decode-in-graph."""
    folder = tmp_path_factory.mktemp('dummy_rtmpose')
    return {'dynamic': build_dummy_pose_onnx(folder / 'dynamic.onnx'),
            'static1': build_dummy_pose_onnx(folder / 'static1.onnx', batch=1),
            'decoded': build_dummy_pose_onnx(folder / 'decoded.onnx', decoded=True)}


@pytest.fixture(scope='session')
def pose_model(dummy_models):
    from rtmpose.inference.pose_onnx import RTMPoseONNX
    return RTMPoseONNX(dummy_models['dynamic'], intra_op_threads=2)


@pytest.fixture(scope='session')
def video_frames(shared_dir: Path) -> list[np.ndarray]:
    """The first frames of the arm-wrestling video (BGR uint8, 256x340)."""
    import cv2
    path = shared_dir / 'video' / 'mmdeploy_arm_wrestling.mp4'
    if not path.is_file():
        pytest.skip(f'video not found: {path}')
    cap = cv2.VideoCapture(str(path))
    frames = []
    while len(frames) < NUM_VIDEO_FRAMES:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    if len(frames) < NUM_VIDEO_FRAMES:
        pytest.skip(f'OpenCV read only {len(frames)} frames of {path} (no video backend for h264?)')
    return frames

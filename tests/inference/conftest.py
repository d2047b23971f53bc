"""Fixtures for the ONNX Runtime inference tests: real detector, dummy pose models, real video frames."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require_shared
from tests.inference.dummy_pose import build_dummy_pose_onnx

NUM_VIDEO_FRAMES = 30


@pytest.fixture(scope='session')
def det_dir(shared_dir: Path) -> Path:
    """The official RTMDet-nano person detector as an MMDeploy SDK folder (skips without ../shared)."""
    return require_shared(shared_dir, 'models/rtmdet-nano-person/end2end.onnx').parent


@pytest.fixture(scope='session')
def detector(det_dir: Path):
    from rtmpose.inference.detector import RTMDetONNX
    return RTMDetONNX(det_dir, intra_op_threads=2)


@pytest.fixture(scope='session')
def pose_meta_dir(shared_dir: Path) -> Path:
    return require_shared(shared_dir, 'models/rtmpose-m-sdk-meta/pipeline.json').parent


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


def read_video(shared_dir: Path, limit: int | None = None) -> tuple[list[np.ndarray], int]:
    """(up to ``limit`` first frames, frame count in the header) of the arm-wrestling video; skips when the video is
    absent or OpenCV reads fewer than ``NUM_VIDEO_FRAMES`` frames of it."""
    import cv2
    path = require_shared(shared_dir, 'video/mmdeploy_arm_wrestling.mp4')
    cap = cv2.VideoCapture(str(path))
    expected = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    frames = []
    while limit is None or len(frames) < limit:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    if len(frames) < NUM_VIDEO_FRAMES:
        pytest.skip(f'OpenCV read only {len(frames)} frames of {path} (no video backend for h264?)')
    return frames, expected


@pytest.fixture(scope='session')
def video_frames(shared_dir: Path) -> list[np.ndarray]:
    """The first frames of the arm-wrestling video (BGR uint8, 256x340)."""
    return read_video(shared_dir, NUM_VIDEO_FRAMES)[0]


@pytest.fixture(scope='session')
def all_video_frames(shared_dir: Path) -> list[np.ndarray]:
    """Every frame of the arm-wrestling video (280 frames, BGR uint8, 256x340)."""
    frames, expected = read_video(shared_dir)
    assert len(frames) == expected == 280
    return frames


@pytest.fixture(scope='session')
def real_models(tmp_path_factory) -> dict[str, Path]:
    """A real RTMPose-t graph built from ``configs/rtmpose-t_coco.py`` (random weights, seed 0), exported to ONNX
    twice: ``plain`` (the network's own SimCC output) and ``peaked`` (one Gaussian peak per keypoint at a
    standing-person layout plus the network's output as image-dependent noise, see
    ``rtmpose.inference.export.peaked_simcc_wrapper``), and saved as a checkpoint ``pth`` for the torch backend.
    Exported once per session (about 10 s); skips without torch/MMPose."""
    pytest.importorskip('torch', reason='torch is needed to export an RTMPose ONNX')
    pytest.importorskip('mmpose', reason='MMPose is needed to build RTMPose from its config')
    import torch

    from rtmpose.inference.export import build_rtmpose_model, export_rtmpose_onnx
    from tests.paths import CONFIGS

    folder = tmp_path_factory.mktemp('real_rtmpose')
    config = CONFIGS / 'rtmpose-t_coco.py'
    torch.manual_seed(0)
    model = build_rtmpose_model(config)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, folder / 'rtmpose-t.pth')
    paths = {'config': config, 'pth': folder / 'rtmpose-t.pth',
             'plain': export_rtmpose_onnx(config, folder / 'rtmpose-t.onnx', model=model),
             'peaked': export_rtmpose_onnx(config, folder / 'rtmpose-t_peaked.onnx', model=model, peaked=True)}
    return paths


@pytest.fixture(scope='session')
def ncnn_models(tmp_path_factory, real_models, det_dir) -> dict[str, Path]:
    """ncnn ``.param``/``.bin`` made with pnnx: the plain RTMPose-t export and RTMDet-nano cut before its NMS."""
    import importlib.util
    for name in ('ncnn', 'pnnx'):  # not imported here: rtmpose imports ncnn itself, with passive OpenMP waiting
        if importlib.util.find_spec(name) is None:
            pytest.skip(f'the {name} package is not installed')
    from rtmpose.inference.export import onnx_to_ncnn, strip_detector_nms

    folder = tmp_path_factory.mktemp('ncnn')
    raw_det = strip_detector_nms(det_dir / 'end2end.onnx', folder / 'rtmdet-nano-raw.onnx')
    det_param, _ = onnx_to_ncnn(raw_det, folder / 'rtmdet-nano-raw', [1, 3, 320, 320])
    pose_param, _ = onnx_to_ncnn(real_models['plain'], folder / 'rtmpose-t', [1, 3, 256, 192])
    return {'det_onnx': raw_det, 'det': det_param, 'pose': pose_param}

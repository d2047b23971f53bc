"""Fixtures for the inference tests: the real detector, RTMPose-t graphs with random weights (plain, and peaked so
that keypoints can be followed), their ncnn conversions, real video frames, and MMDeploy SDK folders of every keypoint
set written by ``tools/deploy.py``."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require_shared

NUM_VIDEO_FRAMES = 30


@pytest.fixture(scope='session')
def det_dir(shared_dir: Path) -> Path:
    """The official RTMDet-nano person detector as an MMDeploy SDK folder (skips without ../shared)."""
    return require_shared(shared_dir, 'models/rtmdet-nano-person/end2end.onnx').parent


@pytest.fixture(scope='session')
def detector(det_dir: Path):
    from rtmpose.hub import build_detector
    return build_detector(det_dir, threads=2)


@pytest.fixture(scope='session')
def pose_meta_dir(shared_dir: Path) -> Path:
    return require_shared(shared_dir, 'models/rtmpose-m-sdk-meta/pipeline.json').parent


@pytest.fixture(scope='session')
def rtmpose_t():
    """RTMPose-t built from ``configs/rtmpose-t_coco.py`` with random weights (seed 0), in eval mode; skips without
    torch/MMPose."""
    pytest.importorskip('torch', reason='torch is needed to build RTMPose')
    pytest.importorskip('mmpose', reason='MMPose is needed to build RTMPose from its config')
    import torch

    from rtmpose.hub.openmmlab import build_rtmpose_model
    from tests.paths import CONFIGS

    torch.manual_seed(0)
    return build_rtmpose_model(CONFIGS / 'rtmpose-t_coco.py')


@pytest.fixture(scope='session')
def peaked_models(tmp_path_factory, rtmpose_t) -> dict[str, Path]:
    """Peaked RTMPose-t ONNX files (:class:`rtmpose.testing.peaked.PeakedSimCCNet`: keypoints at a standing-person
    layout plus image-dependent jitter): dynamic batch, static batch 1, and decode in the graph (outputs
    ``keypoints``, ``scores``)."""
    import torch

    from rtmpose.deploy.rewriters.simcc_decode_graph import simcc_decode_graph
    from rtmpose.deploy.torch_export import export_module
    from rtmpose.testing.peaked import PeakedSimCCNet

    class Decoded(torch.nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, inputs):
            return simcc_decode_graph(*self.net(inputs), 2.0)

    folder = tmp_path_factory.mktemp('peaked_rtmpose')
    torch.manual_seed(0)
    net = PeakedSimCCNet(rtmpose_t)  # calibrated on seeded random crops: the same net in every session
    return {'dynamic': export_module(net, (192, 256), folder / 'dynamic.onnx'),
            'static1': export_module(net, (192, 256), folder / 'static1.onnx', batch=1),
            'decoded': export_module(Decoded(net), (192, 256), folder / 'decoded.onnx', ('keypoints', 'scores'))}


@pytest.fixture(scope='session')
def pose_model(peaked_models):
    from rtmpose.hub import build_pose_model
    return build_pose_model(peaked_models['dynamic'], threads=2)


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
def real_models(tmp_path_factory, rtmpose_t, peaked_models) -> dict[str, Path]:
    """RTMPose-t (random weights, seed 0) as ONNX: ``plain`` (the network's own SimCC output) and ``peaked``
    (``peaked_models['dynamic']``), and as a checkpoint ``pth`` for the torch backend."""
    import torch

    from rtmpose.deploy.torch_export import export_rtmpose_onnx
    from tests.paths import CONFIGS

    folder = tmp_path_factory.mktemp('real_rtmpose')
    config = CONFIGS / 'rtmpose-t_coco.py'
    torch.save({'state_dict': rtmpose_t.state_dict(), 'meta': {}}, folder / 'rtmpose-t.pth')
    return {'config': config, 'pth': folder / 'rtmpose-t.pth',
            'plain': export_rtmpose_onnx(config, folder / 'rtmpose-t.onnx', model=rtmpose_t),
            'peaked': peaked_models['dynamic']}


@pytest.fixture(scope='session')
def ncnn_models(tmp_path_factory, real_models, det_dir) -> dict[str, Path]:
    """ncnn ``.param``/``.bin`` made with pnnx: the plain RTMPose-t export and RTMDet-nano cut before its NMS."""
    import importlib.util
    for name in ('ncnn', 'pnnx'):  # not imported here: rtmpose imports ncnn itself, with passive OpenMP waiting
        if importlib.util.find_spec(name) is None:
            pytest.skip(f'the {name} package is not installed')
    from rtmpose.deploy.ncnn_convert import onnx2ncnn
    from rtmpose.deploy.onnx_graph import strip_detector_nms

    folder = tmp_path_factory.mktemp('ncnn')
    raw_det = strip_detector_nms(det_dir / 'end2end.onnx', folder / 'rtmdet-nano-raw.onnx')
    det_param, _ = onnx2ncnn(raw_det, folder / 'rtmdet-nano-raw.param', folder / 'rtmdet-nano-raw.bin',
                             [1, 3, 320, 320], fp16=True)
    pose_param, _ = onnx2ncnn(real_models['plain'], folder / 'rtmpose-t.param', folder / 'rtmpose-t.bin',
                              [1, 3, 256, 192], fp16=True)
    return {'det_onnx': raw_det, 'det': det_param, 'pose': pose_param}


#: The keypoint-set models exported with ``tools/deploy.py``: the smallest config of each set (256x256 for hands,
#: faces and animals, whose configs have no smaller input).
SET_CONFIGS = {'wholebody': 'wholebody/rtmpose-t_coco-wholebody.py', 'hand': 'hand/rtmpose-m_hand5.py',
               'face': 'face/rtmpose-t_face6.py', 'ap10k': 'ap10k/rtmpose-m_ap10k.py',
               'halpe26': 'body8/rtmpose-t_body8-halpe26.py'}
SET_FIT_STEPS = 40
ORT_DEPLOY_CONFIG = 'deploy_configs/pose/pose-detection_simcc_onnxruntime_dynamic-256x192.py'


@pytest.fixture(scope='session')
def set_sdk_models(tmp_path_factory, shared_dir: Path) -> dict[str, Path]:
    """MMDeploy SDK folders (``end2end.onnx``, ``deploy.json``, ``pipeline.json``, ``detail.json``) written by
    ``tools/deploy.py --dump-info`` (ONNX Runtime, dynamic batch) for each model of :data:`SET_CONFIGS`.

    Each checkpoint is built from its config with seed 0 and its head fitted (:func:`rtmpose.testing.head_fit.
    peaked_checkpoint`) to put the keypoints at the peaked layout (:func:`rtmpose.testing.peaked.layout_pixels`)
    whatever the crop, on real COCO person crops: poses then follow their boxes, as with a trained model.
    """
    pytest.importorskip('mmdeploy', reason='MMDeploy is needed by tools/deploy.py')
    import torch

    coco_dir = require_shared(shared_dir, 'data/coco/test_coco.json').parent
    folder = tmp_path_factory.mktemp('keypoint_set_sdk')
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small models: one thread is fastest, and far faster on a loaded CPU
    try:
        return {key: _deploy_peaked(name, coco_dir, folder / key) for key, name in SET_CONFIGS.items()}
    finally:
        torch.set_num_threads(threads)


def _deploy_peaked(config_name: str, coco_dir: Path, work_dir: Path) -> Path:
    """``tools/deploy.py`` of ``configs/<config_name>`` with a peaked-head checkpoint into ``work_dir``."""
    from mmengine.config import Config

    from rtmpose.testing.coco_crops import load_person_crops
    from rtmpose.testing.head_fit import peaked_checkpoint
    from rtmpose.testing.peaked import layout_pixels
    from tests.paths import CONFIGS, REPO_ROOT
    from tools.deploy import main as deploy_main

    config = CONFIGS / config_name
    cfg = Config.fromfile(config)
    size, k = tuple(cfg.codec['input_size']), int(cfg.model.head.out_channels)
    crops = load_person_crops(coco_dir, input_size=size).inputs[:4]
    targets = np.broadcast_to(layout_pixels(size, k), (len(crops), k, 2)).astype(np.float32)
    checkpoint = work_dir.with_suffix('.pth')
    peaked_checkpoint(cfg, crops, targets, checkpoint, steps=SET_FIT_STEPS)
    argv = [str(REPO_ROOT / ORT_DEPLOY_CONFIG), str(config), str(checkpoint), str(coco_dir / '000000000785.jpg'),
            '--work-dir', str(work_dir), '--dump-info']
    assert deploy_main(argv) == 0, f'tools/deploy.py {" ".join(argv)} failed'
    return work_dir

"""Fixtures for the pipeline AP tests: the README demo model (RTMPose-t at 128x96) with its head fitted to the real
COCO crops, as a checkpoint (torch, for MMPose's test) and as ONNX (for the pipeline), and MMPose's own test runner.

A random RTMPose scores AP 0 whatever the pipeline does, and a head fitted to the exact annotations scores 1 on them;
the head here is fitted (:mod:`rtmpose.testing.head_fit`) to the annotations moved by seeded 2-pixel noise, which gives
one smooth peak per keypoint near the annotation and an AP far from 0 and from 1 (about 0.68 on the ground-truth
boxes), so that any difference in boxes, crops, decoding or scoring shows in it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require_shared
from tests.paths import CONFIGS

DEMO_CONFIG = CONFIGS / 'rtmpose-t_demo.py'
FIT_STEPS = 40
TARGET_NOISE = 2.0  # crop pixels
DET_SCORE_THR = 0.05  # the detector boxes of the round trip through ``mim test``


@pytest.fixture(scope='session')
def coco_dir(shared_dir: Path) -> Path:
    return require_shared(shared_dir, 'data/coco/test_coco.json').parent


@pytest.fixture(scope='session')
def det_dir(shared_dir: Path) -> Path:
    """The official RTMDet-nano person detector (MMDeploy SDK folder)."""
    return require_shared(shared_dir, 'models/rtmdet-nano-person/end2end.onnx').parent


@pytest.fixture(scope='session')
def fitted_model(tmp_path_factory, coco_dir: Path) -> dict[str, Path]:
    """``config``, ``checkpoint`` (.pth) and ``onnx`` of the demo RTMPose-t with a head fitted to the COCO crops."""
    pytest.importorskip('mmpose', reason='MMPose is needed to build RTMPose')
    import torch
    from mmengine.config import Config

    from rtmpose.deploy.torch_export import export_rtmpose_onnx
    from rtmpose.testing.coco_crops import load_person_crops
    from rtmpose.testing.head_fit import peaked_checkpoint

    folder = tmp_path_factory.mktemp('fitted_demo')
    cfg = Config.fromfile(DEMO_CONFIG)
    crops = load_person_crops(coco_dir, input_size=tuple(cfg.codec['input_size']))
    noise = np.random.default_rng(0).normal(0, TARGET_NOISE, crops.keypoints.shape).astype(np.float32)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = peaked_checkpoint(cfg, crops.inputs, crops.keypoints + noise, folder / 'rtmpose-t-demo.pth',
                                  steps=FIT_STEPS)
        onnx = export_rtmpose_onnx(DEMO_CONFIG, folder / 'rtmpose-t-demo.onnx', model=model)
    finally:
        torch.set_num_threads(threads)
    return {'config': DEMO_CONFIG, 'checkpoint': folder / 'rtmpose-t-demo.pth', 'onnx': onnx}


def mmpose_test(config: Path, checkpoint: Path, data_root: Path, ann_file: str, work_dir: Path,
                bbox_file: Path | None = None) -> tuple[dict[str, float], list[dict]]:
    """MMPose's ``Runner.test()`` (what ``mim test`` runs) of ``config`` + ``checkpoint`` on a COCO-format file, no
    flip test: the metrics and the keypoint results it wrote."""
    from mmengine.config import Config
    from mmengine.runner import Runner

    cfg = Config.fromfile(config)
    dataset = dict(type='CocoDataset', data_root=f'{data_root}/', data_mode='topdown', ann_file=ann_file,
                   bbox_file=None if bbox_file is None else str(bbox_file), data_prefix=dict(img=''),
                   test_mode=True, pipeline=cfg.val_pipeline)
    cfg.test_dataloader = dict(batch_size=16, num_workers=0, persistent_workers=False, drop_last=False,
                               sampler=dict(type='DefaultSampler', shuffle=False, round_up=False), dataset=dataset)
    cfg.test_evaluator = dict(type='CocoMetric', ann_file=str(data_root / ann_file),
                              outfile_prefix=str(work_dir / 'mmpose'))
    cfg.model.test_cfg.flip_test = False
    cfg.load_from = str(checkpoint)
    cfg.work_dir = str(work_dir)
    cfg.custom_hooks = []
    cfg.visualizer = dict(type='PoseLocalVisualizer', vis_backends=[])
    metrics = Runner.from_cfg(cfg).test()
    return metrics, json.loads((work_dir / 'mmpose.keypoints.json').read_text())

"""RTMDet person detector (mmdet codebase) with our detection deploy configs: ONNX Runtime and ncnn."""
from pathlib import Path

import cv2
import numpy as np
import onnx
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from rtmpose.deploy.artifacts import named_outputs, open_converted
from tests.paths import CONFIGS, REPO_ROOT

DETECTION = REPO_ROOT / 'deploy_configs' / 'detection'
pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def rtmdet_cfg() -> str:
    """Our RTMDet-nano person config (it inherits from mmdet's configs)."""
    return str(CONFIGS / 'rtmdet' / 'rtmdet-nano_person.py')


@pytest.fixture(scope='module')
def det_input(image) -> np.ndarray:
    """``(1, 3, 320, 320)``: the official preprocessing (keep-ratio resize, pad 114, BGR, mean/std)."""
    img = cv2.imread(image)
    scale = 320 / max(img.shape[:2])
    resized = cv2.resize(img, (round(img.shape[1] * scale), round(img.shape[0] * scale)))
    canvas = np.full((320, 320, 3), 114, np.uint8)
    canvas[:resized.shape[0], :resized.shape[1]] = resized
    x = (canvas.astype(np.float32) - [103.53, 116.28, 123.675]) / [57.375, 57.12, 58.395]
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32)


def onnx_outputs(onnx_file: Path, inputs: np.ndarray) -> dict[str, np.ndarray]:
    return named_outputs(open_converted('onnxruntime', [onnx_file]), inputs)


def convert(name: str, rtmdet_cfg: str, image: str, root: Path):
    from rtmpose.deploy.pipeline import deploy
    return deploy(str(DETECTION / f'{name}.py'), rtmdet_cfg, 'none', image, root / name)


def test_onnxruntime_export_has_the_official_interface(rtmdet_cfg, image, det_input, tmp_path, shared_dir):
    files = convert('detection_onnxruntime_static-320x320', rtmdet_cfg, image, tmp_path)
    ours = onnx.load(str(files.onnx)).graph
    official = onnx.load(str(shared_dir / 'models' / 'rtmdet-nano-person' / 'end2end.onnx')).graph
    for a, b in ((ours.input, official.input), (ours.output, official.output)):
        assert [v.name for v in a] == [v.name for v in b]
        assert [len(v.type.tensor_type.shape.dim) for v in a] == [len(v.type.tensor_type.shape.dim) for v in b]
    out = onnx_outputs(files.onnx, det_input)
    assert out['dets'].shape[0] == 1 and out['dets'].shape[2] == 5 and out['dets'].shape[1] <= 100
    assert out['labels'].shape == out['dets'].shape[:2]


def test_ncnn_export_matches_onnxruntime(rtmdet_cfg, image, det_input, tmp_path):
    files = convert('detection_ncnn_static-320x320', rtmdet_cfg, image, tmp_path)
    ncnn_out = files.outputs(files.open_backend(), det_input)
    ort_out = onnx_outputs(files.onnx, det_input)
    assert ort_out['boxes'].shape == (1, 2100, 4) and ort_out['scores'].shape == (1, 2100, 1)
    np.testing.assert_allclose(ncnn_out['boxes'], ort_out['boxes'], rtol=1e-4, atol=1e-2)
    np.testing.assert_allclose(ncnn_out['scores'], ort_out['scores'], rtol=1e-4, atol=1e-4)


def test_ncnn_head_rewriter_decodes_like_mmdet(rtmdet_cfg):
    """Boxes of the ncnn graph are mmdet's own DistancePointBBoxCoder decode of every prior."""
    from mmdet.registry import MODELS

    from rtmpose.deploy.rewriters.rtmdet_head_ncnn import rtmdet_head__predict_by_feat__pnnx

    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MODELS.build(Config.fromfile(rtmdet_cfg).model).eval()
    with torch.no_grad():
        cls_scores, bbox_preds = model.bbox_head(model.extract_feat(torch.randn(1, 3, 320, 320)))
        boxes, scores = rtmdet_head__predict_by_feat__pnnx(model.bbox_head, cls_scores, bbox_preds)
        priors = torch.cat(model.bbox_head.prior_generator.grid_priors([s.shape[2:] for s in cls_scores], device='cpu'))
        dists = torch.cat([b.permute(0, 2, 3, 1).reshape(-1, 4) for b in bbox_preds])
        expected = model.bbox_head.bbox_coder.decode(priors[:, :2], dists)
    torch.testing.assert_close(boxes[0], expected)
    assert scores.shape == (1, 2100, 1) and float(scores.min()) >= 0 and float(scores.max()) <= 1

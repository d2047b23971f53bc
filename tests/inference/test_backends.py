"""The backends behind one pose model and one detector: ONNX Runtime, ncnn (pnnx conversions) and PyTorch (config +
checkpoint), on a real RTMPose-t graph and the official RTMDet-nano, compared with each other on real COCO images;
which backend a model file or folder is for, and the hints for one that is not."""
import json
import re
import subprocess
import sys

import cv2
import numpy as np
import pytest

from rtmpose.hub import build_detector, build_pose_model, guess_backend, normalize_backend, pair_backends
from rtmpose.inference import Detector, PoseTracker, TopDownPoseModel, TrackerConfig
from rtmpose.inference.tracker import box_iou
from tests.paths import CONFIGS, REPO_ROOT


@pytest.fixture(scope='module')
def coco_image(shared_dir):
    image = cv2.imread(str(shared_dir / 'data' / 'coco' / '000000196141.jpg'))
    assert image is not None
    return image


@pytest.fixture(scope='module')
def coco_boxes(detector, coco_image):
    boxes, _ = detector(coco_image)
    assert len(boxes) >= 3
    return boxes


def test_backend_names_and_guessing(tmp_path):
    assert guess_backend('configs/rtmpose-t_coco.py') == 'torch'
    assert guess_backend('m.param') == guess_backend('m.bin') == 'ncnn'
    assert guess_backend('end2end.onnx') == 'onnxruntime' and guess_backend('end2end.engine') == 'tensorrt'
    (tmp_path / 'model.param').write_text('7767517\n')
    assert guess_backend(tmp_path) == 'ncnn'
    (tmp_path / 'end2end.onnx').write_bytes(b'')  # tools/deploy.py keeps the ONNX beside every backend's files
    assert guess_backend(tmp_path) == 'ncnn' and normalize_backend('ncnn', tmp_path) == 'ncnn'
    (tmp_path / 'deploy.json').write_text(json.dumps({'models': [{'net': 'end2end.onnx', 'backend': 'onnxruntime'}]}))
    assert guess_backend(tmp_path) == 'onnxruntime'  # an SDK folder: MMDeploy's deploy.json says
    assert normalize_backend('ort', 'x.onnx') == 'onnxruntime' and normalize_backend(None, 'x.py') == 'torch'
    assert normalize_backend('OV', 'x.onnx') == 'openvino' and normalize_backend('trt', 'x.engine') == 'tensorrt'
    with pytest.raises(ValueError, match='unknown backend'):
        normalize_backend('tensorflow', 'x.onnx')
    with pytest.raises(ValueError, match=re.escape('pnnx x.onnx inputshape=[1,3,H,W]')):
        normalize_backend('ncnn', 'x.onnx')  # no such file: the shape is left for the user to fill in
    with pytest.raises(ValueError, match='config'):
        build_pose_model('x.onnx', backend='torch')


def test_ncnn_hint_commands_run(det_dir, tmp_path):
    """The commands the ncnn hint names exist and, run as written on the official RTMDet-nano, make an ncnn detector
    (issue 20: the hint named a subcommand ``strip-nms`` that did not exist)."""
    pnnx = pytest.importorskip('pnnx', reason='the hint converts with pnnx')
    pytest.importorskip('ncnn', reason='the converted detector runs on ncnn')
    onnx = det_dir / 'end2end.onnx'
    with pytest.raises(ValueError, match='not for ncnn') as refused:
        normalize_backend('ncnn', det_dir)
    commands = re.findall(r'`([^`]+)`', str(refused.value))
    assert commands == [f'pnnx {onnx} inputshape=[1,3,320,320]', f'python -m rtmpose.deploy.onnx_graph {onnx} raw.onnx']
    strip = subprocess.run([sys.executable, *commands[1].split()[1:]], cwd=tmp_path, capture_output=True, text=True,
                           timeout=300)
    assert strip.returncode == 0, strip.stderr
    convert = commands[0].replace(str(onnx), 'raw.onnx').split()
    done = subprocess.run([pnnx.EXEC_PATH, *convert[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and (tmp_path / 'raw.ncnn.param').is_file(), done.stderr
    ncnn_det = build_detector(tmp_path / 'raw.ncnn.param', threads=1)
    image = cv2.imread(str(det_dir.parents[1] / 'data' / 'coco' / '000000196141.jpg'))
    assert ncnn_det.backend.name == 'ncnn' and len(ncnn_det(image)[0]) >= 3


def test_ncnn_export_folder_runs_on_ncnn(tmp_path, shared_dir):
    """Issue 23 item 2: ``--backend ncnn`` takes the folder ``tools/deploy.py`` writes for ncnn (it was refused as an
    onnxruntime model, since the folder also holds the ONNX), and hints give the model's own input size (a 96x128
    model was told ``inputshape=[1,3,256,192]``)."""
    pytest.importorskip('mmdeploy', reason='tools/deploy.py needs MMDeploy')
    for name in ('pnnx', 'ncnn'):
        pytest.importorskip(name, reason=f'the ncnn export needs {name}')
    from tools.deploy import main as deploy_main

    image = shared_dir / 'data' / 'coco' / '000000000785.jpg'
    folder = tmp_path / 'rtmpose-t_demo-ncnn'
    argv = [str(REPO_ROOT / 'deploy_configs/pose/pose-detection_simcc_ncnn_static-256x192.py'),
            str(CONFIGS / 'rtmpose-t_demo.py'), 'none', str(image), '--work-dir', str(folder), '--dump-info']
    assert deploy_main(argv) == 0
    assert {'end2end.onnx', 'end2end.param', 'end2end.bin', 'deploy.json'} <= {p.name for p in folder.iterdir()}
    for backend in ('ncnn', None):
        pose = build_pose_model(folder, backend=backend, threads=1)
        assert pose.backend.name == 'ncnn' and pose.input_size == (96, 128)
    with pytest.raises(ValueError, match=re.escape(f'`pnnx {folder / "end2end.onnx"} inputshape=[1,3,128,96]`')):
        build_pose_model(folder / 'end2end.onnx', backend='ncnn')
    with pytest.raises(ValueError, match='is a model for ncnn, not for onnxruntime'):
        build_pose_model(folder, backend='onnxruntime')  # its deploy.json names the .param: not an ONNX model


def test_one_rule_pairs_the_detector_with_a_backend(real_models, det_dir, ncnn_models, recwarn):
    """The detector runs on ``det_backend``, else on the backend asked for the pose model where it can, else on its
    own (warned); the CLI, the web demo and ``build_tracker`` all ask :func:`pair_backends`."""
    from rtmpose.webui.choices import ModelChoices

    onnx, param = real_models['plain'], ncnn_models['pose']
    assert pair_backends(param, det_dir) == ('ncnn', 'onnxruntime')  # nothing asked: each its own
    assert pair_backends(onnx, det_dir, 'ov') == ('openvino', 'openvino') and not recwarn.list
    assert pair_backends('rtmpose-m', 'rtmdet-nano', 'torch') == ('torch', 'torch')  # the table has both .pth
    assert pair_backends(onnx, ncnn_models['det'], det_backend='ncnn') == ('onnxruntime', 'ncnn') and not recwarn.list
    for det in (det_dir, 'rtmdet-nano'):
        with pytest.warns(UserWarning, match=f'detector {det} cannot run on ncnn.*runs on onnxruntime'):
            assert pair_backends(param, det, 'ncnn') == ('ncnn', 'onnxruntime')
    with pytest.raises(ValueError, match='is a model for onnxruntime, not for ncnn: .*pnnx'):
        pair_backends(onnx, det_dir, det_backend='ncnn')
    with pytest.raises(ValueError, match='unknown backend'):
        pair_backends(onnx, det_dir, 'tflite')
    choices = ModelChoices([str(param)], det=str(det_dir), threads=1)
    with pytest.warns(UserWarning, match='cannot run on ncnn'):
        detector, pose = choices.pipeline(param.name, 'ncnn')
    assert (pose.backend.name, detector.backend.name) == ('ncnn', 'onnxruntime')


def test_every_backend_is_a_topdown_pose_model(real_models, ncnn_models):
    onnx_model = build_pose_model(real_models['plain'], threads=1)
    ncnn_model = build_pose_model(ncnn_models['pose'], threads=1)
    assert (onnx_model.backend.name, ncnn_model.backend.name) == ('onnxruntime', 'ncnn')
    for model in (onnx_model, ncnn_model):
        assert isinstance(model, TopDownPoseModel)
        assert model.input_size == (192, 256) and model.simcc_split_ratio == 2.0 and model.padding == 1.25


def test_ncnn_pose_matches_onnxruntime(real_models, ncnn_models, coco_image, coco_boxes):
    ours = build_pose_model(real_models['plain'], threads=1)
    ncnn_model = build_pose_model(ncnn_models['pose'], backend='ncnn', threads=1)
    assert ncnn_model.backend.inputs[0].name == 'in0' and ncnn_model.decode.output_names == ('out0', 'out1')
    batch = ours.preprocess(coco_image, coco_boxes)
    ort_x, ort_y = ours.infer(batch.inputs)
    ncnn_x, ncnn_y = ncnn_model.infer(batch.inputs)
    assert ncnn_x.shape == ort_x.shape == (len(coco_boxes), 17, 384) and ncnn_y.shape == (len(coco_boxes), 17, 512)
    scale = np.abs(ort_x).max()
    assert np.abs(ncnn_x - ort_x).max() < 0.01 * scale and np.abs(ncnn_y - ort_y).max() < 0.01 * scale  # fp16
    kpts, scores = ours(coco_image, coco_boxes)
    ncnn_kpts, ncnn_scores = ncnn_model(coco_image, coco_boxes)
    close = np.abs(ncnn_kpts - kpts).max(axis=-1) <= 1.0  # a near-tie argmax may flip to another bin
    assert close.mean() >= 0.95
    np.testing.assert_allclose(ncnn_scores, scores, atol=0.02 * scale)


def test_ncnn_detector_matches_onnxruntime(ncnn_models, detector, shared_dir):
    """RTMDet-nano cut before its NMS (ncnn cannot run NonMaxSuppression) + our NMS == the official export."""
    ncnn_det = build_detector(ncnn_models['det'], threads=1)
    coco = shared_dir / 'data' / 'coco'
    for name in json.loads((coco / 'test_coco.json').read_text())['images']:
        image = cv2.imread(str(coco / name['file_name']))
        boxes, scores = detector(image)
        ncnn_boxes, ncnn_scores = ncnn_det(image)
        assert len(ncnn_boxes) == len(boxes), name['file_name']
        if len(boxes):
            iou = box_iou(boxes, ncnn_boxes)
            assert (iou.max(axis=1) > 0.95).all()
            np.testing.assert_allclose(ncnn_scores[iou.argmax(axis=1)], scores, atol=0.01)


def test_stripped_detector_with_our_nms_matches_in_graph_nms(ncnn_models, det_dir, detector, coco_image):
    """The cut ONNX (boxes, scores) + nms_dets gives the boxes of MMDeploy's in-graph NMS (ONNX Runtime only)."""
    import onnxruntime as ort

    from rtmpose.inference.box_nms import nms_dets
    session = ort.InferenceSession(str(ncnn_models['det_onnx']), providers=['CPUExecutionProvider'])
    assert [o.name for o in session.get_outputs()] == ['boxes', 'scores']
    data, scale = detector.preprocess(coco_image)
    raw_boxes, raw_scores = session.run(None, {'input': data[None]})
    assert raw_boxes.shape[-1] == 4 and raw_scores.shape[:2] == raw_boxes.shape[:2]
    dets, labels = nms_dets(raw_boxes[0], raw_scores[0], 0.3, 0.6, 100, label=0)
    ours = detector.postprocess(dets, labels, scale, coco_image.shape)
    reference = detector(coco_image)
    np.testing.assert_allclose(ours[0], reference[0], atol=0.05)
    np.testing.assert_allclose(ours[1], reference[1], atol=1e-4)
    assert nms_dets(np.zeros((0, 4)), np.zeros((0, 1)), 0.3)[0].shape == (0, 5)


def test_ncnn_precision_is_spelled_as_openvino_s(ncnn_models):
    """``precision='f16'`` / ``'f32'`` turns ncnn's fp16 storage, packing and arithmetic on / off (it was
    ``use_fp16``); ``None`` keeps ncnn's defaults."""
    from rtmpose.backends import open_backend

    param, weights = ncnn_models['pose'], ncnn_models['pose'].with_suffix('.bin')
    for precision, fp16 in (('f16', True), ('f32', False)):
        opt = open_backend('ncnn', param, weights, threads=1, precision=precision).net.opt
        assert (opt.use_fp16_storage, opt.use_fp16_packed, opt.use_fp16_arithmetic) == (fp16, fp16, fp16)
    with pytest.raises(ValueError, match="unknown ncnn precision 'bf16'; choose one of f32, f16"):
        open_backend('ncnn', param, weights, precision='bf16')


def test_ncnn_bad_files(tmp_path, ncnn_models):
    with pytest.raises(FileNotFoundError, match='pnnx'):
        build_pose_model(tmp_path / 'missing.param')
    lonely = tmp_path / 'lonely.param'
    lonely.write_bytes(ncnn_models['pose'].read_bytes())
    with pytest.raises(FileNotFoundError, match='lonely.bin'):
        build_pose_model(lonely)
    (tmp_path / 'garbage.param').write_text('not a param file')
    (tmp_path / 'garbage.bin').write_bytes(b'\0' * 16)
    with pytest.raises(ValueError, match='garbage.param'):
        build_pose_model(tmp_path / 'garbage.param')


def test_ncnn_tracker_end_to_end(ncnn_models, video_frames):
    tracker = PoseTracker(build_detector(ncnn_models['det'], threads=1),
                          build_pose_model(ncnn_models['pose'], threads=1), TrackerConfig(det_interval=2))
    results = [tracker(frame) for frame in video_frames[:4]]
    assert len(results[0]) >= 4 and all(p.keypoints.shape == (17, 2) for p in results[0])
    assert tracker.timer.last['pose'] > 0 and tracker.det_frames == 2


def test_torch_pose_matches_its_onnx_export(real_models, coco_image, coco_boxes):
    """mmpose.apis.init_model(config, checkpoint) on the batched crops == the ONNX export of the same weights."""
    torch_model = build_pose_model(real_models['config'], backend='torch', checkpoint=real_models['pth'])
    assert torch_model.backend.name == 'torch' and isinstance(torch_model, TopDownPoseModel)
    assert torch_model.input_size == (192, 256) and torch_model.simcc_split_ratio == 2.0 and torch_model.to_rgb
    np.testing.assert_allclose(torch_model.mean, [123.675, 116.28, 103.53], rtol=1e-6)
    onnx_model = build_pose_model(real_models['plain'], threads=1)
    batch = onnx_model.preprocess(coco_image, coco_boxes)
    torch_x, torch_y = torch_model.infer(batch.inputs)
    onnx_x, onnx_y = onnx_model.infer(batch.inputs)
    np.testing.assert_allclose(torch_x, onnx_x, atol=1e-3 * np.abs(onnx_x).max())
    np.testing.assert_allclose(torch_y, onnx_y, atol=1e-3 * np.abs(onnx_y).max())
    kpts, scores = torch_model(coco_image, coco_boxes)
    ref_kpts, ref_scores = onnx_model(coco_image, coco_boxes)
    assert (np.abs(kpts - ref_kpts).max(axis=-1) <= 0.5).mean() >= 0.98
    empty_kpts, _ = torch_model(coco_image, np.zeros((0, 4)))
    assert empty_kpts.shape == (0, 17, 2)
    with pytest.raises(FileNotFoundError, match='checkpoint'):
        build_pose_model(real_models['config'], backend='torch', checkpoint=real_models['pth'].with_name('no.pth'))


def test_torch_detector_runs(coco_image):
    """Our RTMDet-nano person config (an MMDetection config) on the torch backend; random weights, so only the
    interface is checked."""
    config = CONFIGS / 'rtmdet' / 'rtmdet-nano_person.py'
    det = build_detector(config, backend='torch', score_thr=0.0)
    assert isinstance(det, Detector) and det.backend.name == 'torch' and det.letterbox.input_size == (320, 320)
    boxes, scores = det(coco_image)
    assert boxes.dtype == np.float32 and boxes.shape == (len(scores), 4) and (np.diff(scores) <= 0).all()
    assert (boxes[:, 2] <= coco_image.shape[1]).all() and (boxes[:, 3] <= coco_image.shape[0]).all()
    assert det(np.zeros((0, 0, 3), np.uint8))[0].shape == (0, 4)


def test_device_option_errors(real_models):
    with pytest.raises(ValueError, match='device'):
        build_pose_model(real_models['plain'], device='tpu')
    import onnxruntime as ort
    if 'CUDAExecutionProvider' not in ort.get_available_providers():
        with pytest.raises(ValueError, match='CUDA'):
            build_detector(real_models['plain'], device='cuda')

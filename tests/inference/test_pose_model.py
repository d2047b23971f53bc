"""TopDownPoseModel on ONNX Runtime with peaked RTMPose-t exports: batching, decode-in-graph, SDK meta, degenerate
boxes, errors."""
import json

import numpy as np
import pytest

from rtmpose.hub import build_pose_model
from rtmpose.inference.preprocess import bboxes_to_center_scale, keypoints_to_image
from rtmpose.testing.peaked import layout_pixels


def _image(seed=0, shape=(240, 320, 3)):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


BOXES = np.array([[10., 20., 110., 200.], [150., 30., 300., 230.], [40., 60., 90., 100.], [-30., -40., 60., 90.]])


def test_dynamic_static_and_decoded_models_agree(peaked_models):
    image = _image()
    dynamic = build_pose_model(peaked_models['dynamic'])
    static = build_pose_model(peaked_models['static1'])
    decoded = build_pose_model(peaked_models['decoded'])
    assert dynamic.backend.static_batch is None and static.backend.static_batch == 1
    assert dynamic.mode == 'simcc' and decoded.mode == 'decoded'
    assert dynamic.input_size == (192, 256) and dynamic.simcc_split_ratio == 2.0 and dynamic.num_keypoints == 17
    kpts, scores = dynamic(image, BOXES)
    assert kpts.shape == (4, 17, 2) and scores.shape == (4, 17) and kpts.dtype == np.float32
    for other in (static, decoded):
        other_kpts, other_scores = other(image, BOXES)
        np.testing.assert_allclose(other_kpts, kpts, atol=1e-4)
        np.testing.assert_allclose(other_scores, scores, atol=1e-5)
    chunked = build_pose_model(peaked_models['dynamic'], max_batch_size=3)(image, BOXES)
    np.testing.assert_allclose(chunked[0], kpts, atol=1e-4)
    # keypoints sit where the peaked model's layout puts them in each crop (up to its input-dependent jitter)
    centers, scales = bboxes_to_center_scale(BOXES, (192, 256), 1.25)
    expected = keypoints_to_image(np.repeat(layout_pixels()[None], 4, 0), centers, scales, (192, 256))
    assert np.abs(kpts - expected).max() < 2.0 * (scales[:, 0].max() / 192)


def test_staged_api_and_degenerate_boxes(pose_model):
    image = _image(1)
    boxes = np.vstack([BOXES[:2], [[50, 50, 50, 90], [np.nan, 0, 10, 10], [5, 5, 1, 1]]])
    batch = pose_model.preprocess(image, boxes)
    np.testing.assert_array_equal(batch.valid, [True, True, False, False, False])
    assert batch.inputs.shape == (2, 3, 256, 192)
    kpts, scores = pose_model.postprocess(pose_model.infer(batch.inputs), batch)
    assert kpts.shape == (5, 17, 2)
    assert (scores[2:] == 0).all() and (kpts[2:] == 0).all()
    np.testing.assert_allclose(kpts[:2], pose_model(image, BOXES[:2])[0])
    empty_k, empty_s = pose_model(image, np.zeros((0, 4)))
    assert empty_k.shape == (0, 17, 2) and empty_s.shape == (0, 17)
    gray_k, _ = pose_model(image[..., 0], BOXES[:1])
    assert gray_k.shape == (1, 17, 2)
    zero_k, zero_s = pose_model(np.zeros((0, 0, 3), np.uint8), BOXES[:2])
    assert zero_k.shape == (2, 17, 2) and (zero_s == 0).all()


def test_reads_official_sdk_meta(peaked_models, pose_meta_dir):
    model = build_pose_model(peaked_models['dynamic'], meta=pose_meta_dir)
    assert model.input_size == (192, 256) and model.padding == 1.25 and model.to_rgb
    assert model.simcc_split_ratio == 2.0
    np.testing.assert_allclose(model.mean, [123.675, 116.28, 103.53])
    np.testing.assert_allclose(model.std, [58.395, 57.12, 57.375])
    with pytest.raises(ValueError, match='input'):
        build_pose_model(peaked_models['dynamic'], meta=pose_meta_dir, input_size=(288, 384))
    with pytest.raises(ValueError, match='bins'):
        build_pose_model(peaked_models['dynamic'], simcc_split_ratio=3.0)


def test_sdk_folder_with_model(tmp_path, pose_meta_dir, peaked_models):
    """The SDK folder (or the ONNX file inside it) is found and its pipeline.json read: a padding changed there
    reaches the model."""
    for name in ('deploy.json', 'detail.json'):
        (tmp_path / name).write_bytes((pose_meta_dir / name).read_bytes())
    pipeline = json.loads((pose_meta_dir / 'pipeline.json').read_text())
    for task in pipeline['pipeline']['tasks']:
        for transform in task.get('transforms', []):
            if transform['type'] in ('TopDownGetBboxCenterScale', 'GetBBoxCenterScale'):
                transform['padding'] = 1.5
    (tmp_path / 'pipeline.json').write_text(json.dumps(pipeline))
    (tmp_path / 'end2end.onnx').write_bytes(peaked_models['dynamic'].read_bytes())
    for given in (tmp_path, tmp_path / 'end2end.onnx'):
        model = build_pose_model(given)
        assert model.backend.source == str(tmp_path / 'end2end.onnx') and model.padding == 1.5 and model.to_rgb


def test_missing_model_files(tmp_path, peaked_models):
    with pytest.raises(FileNotFoundError, match='rtmpose-m.onnx'):
        build_pose_model(tmp_path / 'rtmpose-m.onnx')
    with pytest.raises(FileNotFoundError, match='pipeline.json'):
        build_pose_model(peaked_models['dynamic'], meta=tmp_path / 'no_meta')
    with pytest.raises(FileNotFoundError, match='end2end.onnx'):
        build_pose_model(tmp_path)  # a folder without a model
    text = tmp_path / 'model.onnx'
    text.write_text('not a model')
    with pytest.raises(ValueError, match='model.onnx'):
        build_pose_model(text)


def test_wrong_kind_of_model(tmp_path, det_dir):
    with pytest.raises(ValueError, match='TopDownAffine'):
        build_pose_model(det_dir)  # a detector's SDK folder is not a pose model
    detector_copy = tmp_path / 'detector.onnx'
    detector_copy.write_bytes((det_dir / 'end2end.onnx').read_bytes())
    with pytest.raises(ValueError, match='simcc_x'):
        build_pose_model(detector_copy)

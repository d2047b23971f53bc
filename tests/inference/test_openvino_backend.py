"""The OpenVINO backend runs the same ONNX files as ONNX Runtime and gives its numbers (float32), on a real
RTMPose-t graph, the official RTMDet-nano and real COCO images and video frames."""
import cv2
import numpy as np
import pytest

from rtmpose.backends import open_backend
from rtmpose.hub import build_detector, build_pose_model, normalize_backend
from rtmpose.inference import PoseTracker, TopDownPoseModel, TrackerConfig

pytest.importorskip('openvino', reason='the openvino backend needs the openvino package')


def openvino_pose(model, **options):
    return build_pose_model(model, backend='openvino', **options)


@pytest.fixture(scope='module')
def coco_image(shared_dir):
    image = cv2.imread(str(shared_dir / 'data' / 'coco' / '000000196141.jpg'))
    assert image is not None
    return image


def test_backend_name_takes_onnx_files():
    assert normalize_backend('openvino', 'end2end.onnx') == normalize_backend('ov', 'x.onnx') == 'openvino'
    with pytest.raises(ValueError, match='onnx'):
        normalize_backend('openvino', 'configs/rtmpose-t_coco.py')


def test_pose_matches_onnxruntime(real_models, detector, coco_image):
    boxes, _ = detector(coco_image)
    assert len(boxes) >= 3
    ort_model = build_pose_model(real_models['plain'], threads=1)
    ov_model = build_pose_model(real_models['plain'], backend='openvino', threads=1)
    assert isinstance(ov_model, TopDownPoseModel) and type(ov_model.backend).__name__ == 'OpenVINOBackend'
    assert ov_model.backend.name == 'openvino' and ov_model.backend.static_batch is None
    assert (ov_model.input_size, ov_model.simcc_split_ratio, ov_model.mode) == ((192, 256), 2.0, 'simcc')
    batch = ort_model.preprocess(coco_image, boxes)
    for ours, ref in zip(ov_model.infer(batch.inputs), ort_model.infer(batch.inputs)):
        assert ours.shape == ref.shape and ours.dtype == np.float32
        np.testing.assert_allclose(ours, ref, atol=1e-5 * np.abs(ref).max())
    kpts, scores = ov_model(coco_image, boxes)
    ref_kpts, ref_scores = ort_model(coco_image, boxes)
    np.testing.assert_array_equal(kpts, ref_kpts)  # argmax over the same values, up to float noise
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-5)
    # outputs are the caller's: a second call does not change the first one's arrays
    first = ov_model.infer(batch.inputs[:2])
    kept = [out.copy() for out in first]
    ov_model.infer(batch.inputs[2:])
    for out, copy in zip(first, kept):
        np.testing.assert_array_equal(out, copy)
    assert ov_model(coco_image, np.zeros((0, 4)))[0].shape == (0, 17, 2)


def test_bfloat16_precision_is_close(real_models, detector, coco_image):
    boxes, _ = detector(coco_image)
    f32 = openvino_pose(real_models['peaked'])
    bf16 = openvino_pose(real_models['peaked'], precision='bf16')
    kpts, _ = f32(coco_image, boxes)
    approx, _ = bf16(coco_image, boxes)
    assert np.median(np.abs(approx - kpts)) <= 1.0
    with pytest.raises(ValueError, match='precision'):
        openvino_pose(real_models['plain'], precision='int4')


def test_detector_matches_onnxruntime(det_dir, detector, shared_dir):
    ov_det = build_detector(det_dir, backend='openvino', threads=2)
    assert ov_det.backend.name == 'openvino' and not ov_det.backend.batches  # the SDK's batch_size 1 holds here too
    for name in ('000000196141.jpg', '000000000785.jpg'):
        image = cv2.imread(str(shared_dir / 'data' / 'coco' / name))
        if image is None:
            continue
        boxes, scores = ov_det(image)
        ref_boxes, ref_scores = detector(image)
        assert len(boxes) == len(ref_boxes) > 0
        np.testing.assert_allclose(boxes, ref_boxes, atol=0.05)
        np.testing.assert_allclose(scores, ref_scores, atol=1e-4)


def test_tracker_end_to_end(det_dir, real_models, video_frames):
    tracker = PoseTracker(build_detector(det_dir, backend='openvino', threads=2),
                          build_pose_model(real_models['peaked'], backend='openvino', threads=2),
                          TrackerConfig(det_interval=5))
    reference = PoseTracker(build_detector(det_dir, threads=2), build_pose_model(real_models['peaked'], threads=2),
                            TrackerConfig(det_interval=5))
    for frame in video_frames[:10]:
        people, ref_people = tracker(frame), reference(frame)
        assert [p.track_id for p in people] == [p.track_id for p in ref_people]
        for person, ref in zip(people, ref_people):
            np.testing.assert_allclose(person.keypoints, ref.keypoints, atol=0.05)


def test_bad_files_and_devices(tmp_path, real_models):
    bad = tmp_path / 'bad.onnx'
    bad.write_bytes(b'not a model')
    with pytest.raises(ValueError, match='OpenVINO could not read'):
        openvino_pose(bad)
    with pytest.raises(FileNotFoundError):
        openvino_pose(tmp_path / 'missing.onnx')
    with pytest.raises(ValueError, match='device'):
        open_backend('openvino', real_models['plain'], device='tpu')

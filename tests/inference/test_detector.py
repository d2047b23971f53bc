"""The official RTMDet-nano person detector on ONNX Runtime, on real COCO images."""
import json

import cv2
import numpy as np
import pytest

from rtmpose.hub import build_detector
from rtmpose.inference.tracker import box_iou


def test_finds_all_keypoint_annotated_people(detector, shared_dir):
    coco = shared_dir / 'data' / 'coco'
    data = json.loads((coco / 'test_coco.json').read_text())
    found = total = 0
    for image_info in data['images']:
        image = cv2.imread(str(coco / image_info['file_name']))
        assert image is not None
        boxes, scores = detector(image)
        assert boxes.dtype == np.float32 and boxes.shape == (len(scores), 4)
        assert (np.diff(scores) <= 0).all()
        assert (boxes[:, 0::2] <= image.shape[1]).all() and (boxes[:, 1::2] <= image.shape[0]).all()
        gts = [a['bbox'] for a in data['annotations'] if a['image_id'] == image_info['id'] and a['num_keypoints'] > 0]
        gt_xyxy = np.array([[x, y, x + w, y + h] for x, y, w, h in gts])
        iou = box_iou(gt_xyxy, boxes)
        total += len(gts)
        found += int((iou.max(axis=1) >= 0.5).sum()) if boxes.size else 0
    assert total == 12
    assert found == 12


def test_sdk_meta_batch_and_file_path(det_dir, detector, shared_dir):
    box = detector.letterbox
    assert box.input_size == (320, 320) and box.pad_val == 114.0 and not box.to_rgb
    np.testing.assert_allclose(box.mean, [103.53, 116.28, 123.675])
    np.testing.assert_allclose(box.std, [57.375, 57.12, 58.395])
    assert detector.backend.source == str(det_dir / 'end2end.onnx') and detector.boxes.nms_in_graph
    # the ONNX file inside the SDK folder finds its meta too (its deploy.json says batch_size 1)
    by_file = build_detector(det_dir / 'end2end.onnx', threads=1)
    assert by_file.letterbox == box
    images = [cv2.imread(str(shared_dir / 'data' / 'coco' / name)) for name in
              ('000000196141.jpg', '000000040083.jpg')]
    assert not detector.backend.batches  # deploy.json says batch_size 1: one image per call
    batched = detector.detect_batch(images)
    by_file.backend.batches = True  # force a batch of 2: the export's NMS fails, the runtime falls back
    assert len(by_file.detect_batch(images)) == 2 and not by_file.backend.batches
    for image, (boxes, scores) in zip(images, batched):
        single_boxes, single_scores = by_file(image)
        np.testing.assert_allclose(boxes, single_boxes, atol=1e-2)
        np.testing.assert_allclose(scores, single_scores, atol=1e-4)


def test_preprocess_keep_ratio_and_padding(detector):
    image = np.full((100, 200, 3), 7, np.uint8)
    data, scale = detector.preprocess(image)
    assert data.shape == (3, 320, 320) and data.dtype == np.float32
    np.testing.assert_allclose(scale, [1.6, 1.6, 1.6, 1.6])
    mean, std = np.array(detector.letterbox.mean), np.array(detector.letterbox.std)
    np.testing.assert_allclose(data[:, 0, 0], (7 - mean) / std, rtol=1e-5)
    np.testing.assert_allclose(data[:, 200, 0], (114 - mean) / std, rtol=1e-5)  # padded rows


def test_empty_and_odd_images(detector):
    boxes, scores = detector(np.zeros((240, 320, 3), np.uint8))
    assert boxes.shape == (0, 4) and scores.shape == (0,)
    boxes, scores = detector(np.zeros((0, 10, 3), np.uint8))
    assert boxes.shape == (0, 4)
    assert detector(np.zeros((1, 1), np.uint8))[0].shape[1] == 4
    with pytest.raises(ValueError, match='None'):
        detector(None)


def test_missing_and_bad_model_files(tmp_path):
    missing = tmp_path / 'nowhere' / 'end2end.onnx'
    with pytest.raises(FileNotFoundError, match='nowhere'):
        build_detector(missing)
    with pytest.raises(FileNotFoundError, match='end2end.onnx'):
        build_detector(tmp_path)  # a folder without the model
    garbage = tmp_path / 'garbage.onnx'
    garbage.write_bytes(b'this is not an onnx file')
    with pytest.raises(ValueError, match='garbage.onnx'):
        build_detector(garbage)

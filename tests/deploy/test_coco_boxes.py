"""The one COCO annotation / detection file -> person boxes reader."""
import json

import numpy as np
import pytest

from rtmpose.utils.coco_boxes import (
    group_by_image,
    missing_images,
    read_json,
    read_person_boxes,
    xywh_boxes,
    xyxy_boxes,
)

IMAGES = [{'id': 7, 'file_name': 'b.jpg'}, {'id': 3, 'file_name': 'a.jpg'}]
ANNOTATIONS = [
    {'id': 1, 'image_id': 3, 'bbox': [10, 20, 30, 40]},
    {'id': 2, 'image_id': 7, 'bbox': [0, 0, 5, 0.5]},  # thin: dropped with min_size >= 0.5
    {'id': 3, 'image_id': 3, 'bbox': [1, 2, 3, 4], 'iscrowd': 1},
    {'id': 4, 'image_id': 99, 'bbox': [1, 2, 3, 4]},  # no such image
    {'id': 5, 'image_id': 7, 'bbox': [1, 2, 3]},  # malformed
    {'id': 6, 'image_id': 7, 'bbox': [4, 4, 8, 8]},
]


@pytest.fixture
def ann_file(tmp_path):
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps({'images': IMAGES, 'annotations': ANNOTATIONS}))
    (tmp_path / 'a.jpg').write_bytes(b'')
    return path


def test_boxes_in_file_order_with_images_and_records(ann_file):
    boxes = read_person_boxes(ann_file)
    assert [b.record['id'] for b in boxes] == [1, 2, 3, 6]
    assert [b.image.name for b in boxes] == ['a.jpg', 'b.jpg', 'a.jpg', 'b.jpg']
    assert boxes[0].image.parent == ann_file.parent and boxes[0].image_index == 1
    np.testing.assert_array_equal(xywh_boxes(boxes[:1]), [[10, 20, 30, 40]])
    np.testing.assert_array_equal(xyxy_boxes(boxes[:1]), [[10, 20, 40, 60]])
    assert xywh_boxes(boxes).dtype == np.float32 and xywh_boxes([]).shape == (0, 4)


def test_filters(ann_file, tmp_path):
    assert [b.record['id'] for b in read_person_boxes(ann_file, min_size=1.0)] == [1, 3, 6]
    assert [b.record['id'] for b in read_person_boxes(ann_file, skip_crowd=True)] == [1, 2, 6]
    assert read_person_boxes(ann_file, img_dir=tmp_path / 'images')[0].image == tmp_path / 'images' / 'a.jpg'


def test_grouped_in_the_order_of_the_images(ann_file):
    groups = group_by_image(read_person_boxes(ann_file))
    assert [(image.name, [b.record['id'] for b in boxes]) for image, boxes in groups] == [
        ('b.jpg', [2, 6]), ('a.jpg', [1, 3])]


def test_detection_results_with_a_score_threshold(ann_file, tmp_path):
    det_file = tmp_path / 'dets.json'
    det_file.write_text(json.dumps([{'image_id': 7, 'bbox': [1, 1, 9, 9], 'score': 0.9},
                                    {'image_id': 3, 'bbox': [2, 2, 9, 9], 'score': 0.2}]))
    boxes = read_person_boxes(ann_file, det_file=det_file, min_score=0.5)
    assert [(b.image.name, b.record['score']) for b in boxes] == [('b.jpg', 0.9)]


def test_missing_images(ann_file):
    assert missing_images(read_person_boxes(ann_file)) == [str(ann_file.parent / 'b.jpg')]


def test_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='annotation file not found: .*missing.json'):
        read_person_boxes(tmp_path / 'missing.json')
    broken = tmp_path / 'broken.json'
    broken.write_text('{"images": [')
    with pytest.raises(ValueError, match='broken.json is not valid JSON'):
        read_person_boxes(broken)
    not_coco = tmp_path / 'list.json'
    not_coco.write_text('[]')
    with pytest.raises(ValueError, match='list.json has no "images" list'):
        read_person_boxes(not_coco)
    good = tmp_path / 'good.json'
    good.write_text(json.dumps({'images': IMAGES}))
    with pytest.raises(FileNotFoundError, match='detection file not found'):
        read_person_boxes(good, det_file=tmp_path / 'nope.json')
    with pytest.raises(ValueError, match='not a COCO results file'):
        read_person_boxes(good, det_file=good)
    with pytest.raises(FileNotFoundError, match='thing not found'):
        read_json(tmp_path / 'x.json', 'thing')


def test_the_real_coco_file(shared_dir):
    ann_file = shared_dir / 'data' / 'coco' / 'test_coco.json'
    if not ann_file.is_file():
        pytest.skip(f'{ann_file} not found')
    boxes = read_person_boxes(ann_file)
    coco = json.loads(ann_file.read_text())
    assert [b.record for b in boxes] == coco['annotations'] and not missing_images(boxes)
    assert [len(bs) for _, bs in group_by_image(boxes)] == [1, 3, 5, 5]

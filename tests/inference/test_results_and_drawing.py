"""COCO results writing (incremental, crash-safe), drawing, ncnn .param parsing and the NMS used for ncnn."""
import json

import numpy as np
import pytest

from rtmpose.backends.ncnn_backend import parse_ncnn_param
from rtmpose.inference.box_nms import nms_dets
from rtmpose.inference.tracker import PersonPose
from rtmpose.media.results_io import IncrementalResults, person_record, read_results
from rtmpose.media.visualize import draw_poses, track_color


def _person(track_id=3, offset=0.0):
    kpts = np.stack([np.linspace(10, 90, 17), np.linspace(20, 180, 17)], axis=1).astype(np.float32) + offset
    return PersonPose(track_id, kpts, np.linspace(0.2, 0.9, 17).astype(np.float32),
                      np.array([5, 10, 100, 200], np.float32), 0.55, kpts)


def test_person_record_is_coco_results_format():
    record = person_record(_person(), image_id=785, frame_index=4)
    assert record['image_id'] == 785 and record['category_id'] == 1 and record['track_id'] == 3
    assert record['frame_index'] == 4 and record['bbox'] == [5.0, 10.0, 95.0, 190.0]  # x, y, w, h
    assert len(record['keypoints']) == 51 and record['keypoints'][:3] == [10.0, 20.0, 0.2]
    bad = _person()
    bad.keypoints[0] = np.nan
    assert person_record(bad, 0, 0)['keypoints'][0] == 0.0  # never NaN in the JSON
    json.dumps(person_record(bad, 0, 0), allow_nan=False)


def test_incremental_results_survive_a_crash(tmp_path):
    writer = IncrementalResults(tmp_path / 'out' / 'video.json')
    writer.add_frame([_person(1), _person(2, 5.0)], image_id=0, frame_index=0)
    writer.add_frame([], image_id=1, frame_index=1)
    writer.add_frame([_person(1, 1.0)], image_id=2, frame_index=2, extra={'file_name': 'c.jpg'})
    partial = tmp_path / 'out' / 'video.jsonl'
    # before finalize (as after a hard kill): every frame is on disk; a half-written last line is ignored
    with partial.open('a') as f:
        f.write('{"image_id": 3, "categ')
    records = read_results(partial)
    assert [(r['frame_index'], r['track_id']) for r in records] == [(0, 1), (0, 2), (2, 1)]
    assert records[2]['file_name'] == 'c.jpg'
    writer.finalize()
    assert not partial.exists()
    final = json.loads((tmp_path / 'out' / 'video.json').read_text())
    assert [r['track_id'] for r in final] == [1, 2, 1] and writer.count == 3 and writer.frames == 3
    assert writer.finalize() == tmp_path / 'out' / 'video.json'  # idempotent


def test_draw_poses():
    image = np.full((240, 320, 3), 40, np.uint8)
    people = [_person(0), _person(7, 100.0)]
    people[1].keypoints[3] = [np.inf, np.nan]
    canvas = draw_poses(image, people, kpt_thr=0.3, fps=12.5)
    assert canvas.shape == image.shape and canvas.dtype == np.uint8
    assert (image == 40).all()  # drawn on a copy
    assert (canvas != 40).any(axis=2).mean() > 0.01
    assert (np.abs(canvas.astype(int) - track_color(7)).sum(axis=2) < 10).any()  # the track's colour is there
    assert draw_poses(np.zeros((0, 0, 3), np.uint8), []).shape == (0, 0, 3)


def test_nms_dets_per_class_and_threshold():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10], [50, 50, 60, 60], [0, 0, 10, 10]], np.float32)
    scores = np.array([[0.9, 0.0], [0.8, 0.0], [0.0, 0.7], [0.6, 0.0], [0.2, 0.0]], np.float32)
    dets, labels = nms_dets(boxes, scores, score_thr=0.3, nms_thr=0.6)
    assert dets[:, 4].tolist() == pytest.approx([0.9, 0.7, 0.6]) and labels.tolist() == [0, 1, 0]
    dets, labels = nms_dets(boxes, scores, score_thr=0.3, nms_thr=0.6, label=0)
    assert labels.tolist() == [0, 0] and dets[:, 4].tolist() == pytest.approx([0.9, 0.6])
    assert len(nms_dets(boxes, scores, 0.3, nms_thr=0.99)[0]) == 4  # nothing overlaps that much
    assert len(nms_dets(boxes, scores, 0.3, max_dets=1)[0]) == 1


def test_parse_ncnn_param(tmp_path):
    param = tmp_path / 'm.param'
    param.write_text('7767517\n4 5\nInput in0 0 1 data 0=192 1=256 2=3\nConvolution c 1 1 data f 0=8\n'
                     'Split s 1 2 f f1 f2\nInnerProduct a 1 1 f1 simcc_x\nInnerProduct b 1 1 f2 simcc_y\n')
    inputs, outputs = parse_ncnn_param(param)
    assert inputs == [('data', (1, 3, 256, 192))] and [port.name for port in outputs] == ['simcc_x', 'simcc_y']
    param.write_text('not ncnn')
    with pytest.raises(ValueError, match='7767517'):
        parse_ncnn_param(param)


def test_limbs_in_metainfo_colours_left_and_right_differ():
    """Issue 16.13: one colour per person made left and right limbs look the same; limbs now have their
    dataset's colours (MMPose's visualizer: left green, right orange, centre blue for COCO)."""
    from rtmpose.metainfo import COCO17
    image = np.zeros((240, 320, 3), np.uint8)
    person = _person(5)
    person.keypoints[7], person.keypoints[8] = (60, 200), (260, 200)  # elbows far apart: forearms do not cross
    person.keypoints[9], person.keypoints[10] = (60, 100), (260, 100)
    person.scores[:] = 0.0
    person.scores[[7, 8, 9, 10]] = 1.0
    canvas = draw_poses(image, [person], draw_bbox=False)
    left = canvas[150, 60].tolist()  # midpoints of left (7-9) and right (8-10) forearms
    right = canvas[150, 260].tolist()
    links = [list(link) for link in COCO17.skeleton]
    assert left == COCO17.link_colors[links.index([7, 9])][::-1].tolist() == [0, 255, 0]
    assert right == COCO17.link_colors[links.index([8, 10])][::-1].tolist() == [0, 128, 255]


def test_id_tags_do_not_cover_each_other():
    """Issue 16.13: two people with the same box top-left corner had their ``id`` tags drawn over each other."""
    image = np.zeros((240, 320, 3), np.uint8)
    people = [_person(1), _person(2)]
    for person in people:
        person.scores[:] = 0.0  # boxes and tags only
    canvas = draw_poses(image, people)
    for track_id in (1, 2):  # the box outlines coincide, but both tags show their colour
        assert (np.abs(canvas.astype(int) - track_color(track_id)).sum(axis=2) == 0).sum() > 30, track_id

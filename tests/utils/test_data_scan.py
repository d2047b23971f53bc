"""Issue 16 item 9: data faults stop the run when the dataset is built, with the file and the fix named."""
import json
import math

import cv2
import numpy as np
import pytest

from rtmpose.datasets import CocoDataset
from rtmpose.utils.data_scan import DataError, image_problem, main, scan_images


def write_set(root, keypoints=17, box=(10, 10, 50, 80), value=5.0, images=('a.jpg', 'b.jpg'), text=None):
    """A COCO keypoint set of ``images`` (written as JPEGs) with one person each; returns the dataset kwargs."""
    (root / 'img').mkdir(parents=True, exist_ok=True)
    for name in images:
        cv2.imwrite(str(root / 'img' / name), np.full((100, 80, 3), 128, np.uint8))
    anns = [dict(id=i + 1, image_id=i + 1, category_id=1, bbox=list(box), area=box[2] * box[3], iscrowd=0,
                 num_keypoints=keypoints, keypoints=[value, value, 2] * keypoints) for i in range(len(images))]
    data = dict(images=[dict(id=i + 1, file_name=name, width=80, height=100) for i, name in enumerate(images)],
                annotations=anns, categories=[dict(id=1, name='person')])
    (root / 'ann.json').write_text(text if text is not None else json.dumps(data))
    return dict(data_root=str(root), ann_file='ann.json', data_prefix=dict(img='img/'), pipeline=[])


def test_a_good_set_loads(tmp_path):
    assert len(CocoDataset(**write_set(tmp_path))) == 2


@pytest.mark.parametrize('fault, message', [
    (dict(text='{"images": [{"id": 1, "file_na'), r'ann.json is not valid JSON.*truncated'),
    (dict(text=''), r'ann.json is not valid JSON'),
    (dict(box=(10, 10, 0, 0)), r'ann.json gives no person to train on.*positive width and height'),
    (dict(keypoints=21), r'has 21 keypoints, the dataset has 17'),
    (dict(value=math.nan), r'NaN or infinite'),
])
def test_bad_annotations_are_named(tmp_path, fault, message):
    with pytest.raises(DataError, match=message):
        CocoDataset(**write_set(tmp_path, **fault))


def test_all_nan_keypoints_stop_before_training(tmp_path):
    kwargs = write_set(tmp_path)
    data = json.loads((tmp_path / 'ann.json').read_text())
    for ann in data['annotations']:
        ann['keypoints'] = [math.nan, math.nan, 0] * 17
    (tmp_path / 'ann.json').write_text(json.dumps(data))
    with pytest.raises(DataError, match='NaN or infinite'):
        CocoDataset(**kwargs)


def test_missing_image_is_named_at_start(tmp_path):
    kwargs = write_set(tmp_path)
    (tmp_path / 'img' / 'b.jpg').unlink()
    with pytest.raises(DataError, match=r'1 image\(s\) missing or empty, e.g. .*b.jpg'):
        CocoDataset(**kwargs)


def test_image_scan_finds_truncated_and_empty_files(tmp_path):
    write_set(tmp_path)
    good, cut, empty = (tmp_path / 'img' / 'a.jpg'), tmp_path / 'img' / 'cut.jpg', tmp_path / 'img' / 'empty.jpg'
    cut.write_bytes(good.read_bytes()[:200])
    empty.write_bytes(b'')
    assert image_problem(str(good)) is None
    assert scan_images([str(good), str(cut), str(empty), str(tmp_path / 'gone.jpg')]) == [
        f'{cut}: truncated (no end marker)', f'{empty}: empty', f'{tmp_path / "gone.jpg"}: missing']


def test_scan_command_on_a_config(tmp_path, capsys):
    kwargs = write_set(tmp_path)
    config = tmp_path / 'cfg.py'
    dataset = dict(type='CocoDataset', **kwargs)
    config.write_text(f"default_scope = 'rtmpose'\ntrain_dataloader = dict(dataset={dataset!r})\n"
                      f"val_dataloader = dict(dataset={dict(dataset, test_mode=True)!r})\n")
    assert main([str(config)]) == 0
    img = tmp_path / 'img' / 'a.jpg'
    img.write_bytes(img.read_bytes()[:100])
    assert main([str(config)]) == 1
    assert f'{img}: truncated' in capsys.readouterr().out

"""Issue 16 item 9, issue 23 items 5 and 15: data faults stop the run when the dataset is built, with the file and
the fix named; ``python -m rtmpose.utils.data_scan`` lists them."""
import json
import math

import cv2
import numpy as np
import pytest

from rtmpose.datasets import CocoDataset
from rtmpose.utils.data_scan import BadImagesError, DataError, image_problem, main, scan_images


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
    with pytest.raises(DataError, match=r'1 image\(s\) cannot be read, e.g. .*b.jpg: missing'):
        CocoDataset(**kwargs)


def test_image_scan_finds_truncated_and_empty_files(tmp_path):
    write_set(tmp_path)
    good, cut, empty = (tmp_path / 'img' / 'a.jpg'), tmp_path / 'img' / 'cut.jpg', tmp_path / 'img' / 'empty.jpg'
    cut.write_bytes(good.read_bytes()[:200])
    empty.write_bytes(b'')
    assert image_problem(str(good)) is None
    assert scan_images([str(good), str(cut), str(empty), str(tmp_path / 'gone.jpg')]) == ([
        f'{cut}: truncated (no end marker)', f'{empty}: empty', f'{tmp_path / "gone.jpg"}: missing'], 3)


def write_config(path, kwargs):
    """A config of two loaders over the set of ``kwargs`` (train and test mode)."""
    dataset = dict(type='CocoDataset', **kwargs)
    path.write_text(f"default_scope = 'rtmpose'\ntrain_dataloader = dict(dataset={dataset!r})\n"
                    f"val_dataloader = dict(dataset={dict(dataset, test_mode=True)!r})\n")
    return path


def test_scan_command_on_a_config(tmp_path, capsys):
    config = write_config(tmp_path / 'cfg.py', write_set(tmp_path))
    assert main([str(config)]) == 0
    img = tmp_path / 'img' / 'a.jpg'
    img.write_bytes(img.read_bytes()[:100])
    assert main([str(config)]) == 1
    assert f'{img}: truncated' in capsys.readouterr().out


def _random_bytes_jpg(path):
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    return path


@pytest.mark.parametrize('content', ['random', 'jpeg markers around random bytes', 'png signature only'])
def test_undecodable_images_are_found(tmp_path, content):
    """Issue 23 item 15: files that are not images, whatever their name, without decoding the good ones."""
    bad = _random_bytes_jpg(tmp_path / 'bad.jpg')
    if content == 'jpeg markers around random bytes':
        bad.write_bytes(b'\xff\xd8' + bad.read_bytes()[2:-2] + b'\xff\xd9')
    elif content == 'png signature only':
        bad = tmp_path / 'bad.png'
        bad.write_bytes(b'\x89PNG\r\n\x1a\n' + bytes(100) + b'IEND\xaeB`\x82')
    assert cv2.imread(str(bad)) is None  # what training's LoadImage would meet
    assert image_problem(str(bad)) is not None


def test_random_bytes_image_stops_the_dataset_and_is_listed(tmp_path, capsys):
    """Issue 23 item 15: a random-bytes ``.jpg`` is named when the dataset is built, and by the scan command."""
    kwargs = write_set(tmp_path)
    _random_bytes_jpg(tmp_path / 'img' / 'b.jpg')
    with pytest.raises(BadImagesError, match=r'1 image\(s\) cannot be read, e.g. .*b.jpg: not an image'):
        CocoDataset(**kwargs)
    assert main([str(write_config(tmp_path / 'cfg.py', kwargs))]) == 1
    out = capsys.readouterr().out
    assert f'{tmp_path / "img" / "b.jpg"}: not an image' in out and '1 bad image(s)' in out


def test_ragged_keypoints_name_the_annotation(tmp_path):
    """Issue 23 item 15: keypoints that are not [x, y, v] triplets name the file, image and annotation."""
    kwargs = write_set(tmp_path)
    data = json.loads((tmp_path / 'ann.json').read_text())
    data['annotations'][1]['keypoints'] = data['annotations'][1]['keypoints'][:-1]  # 50 values
    (tmp_path / 'ann.json').write_text(json.dumps(data))
    with pytest.raises(DataError, match=r'ann.json, image b.jpg, annotation 2: "keypoints" has 50 values, not '
                                        r'\[x, y, v\] triplets of the dataset\'s 17 keypoints'):
        CocoDataset(**kwargs)


def test_scan_command_missing_data_and_cfg_options(tmp_path, capsys):
    """Issue 23 item 5: missing data is a message (exit 2), and the ``--cfg-options`` it suggests is accepted."""
    write_set(tmp_path / 'data')
    config = write_config(tmp_path / 'cfg.py', write_set(tmp_path / 'data'))
    config.write_text(config.read_text().replace(str(tmp_path / 'data'), str(tmp_path / 'elsewhere')))
    assert main([str(config)]) == 2
    err = capsys.readouterr().err
    assert 'dataset folder not found' in err and '--cfg-options' in err and 'Traceback' not in err
    root = str(tmp_path / 'data')
    assert main([str(config), '--cfg-options', f'train_dataloader.dataset.data_root={root}',
                 f'val_dataloader.dataset.data_root={root}']) == 0
    assert capsys.readouterr().out.count('2 instances, 0 bad image(s)') == 2

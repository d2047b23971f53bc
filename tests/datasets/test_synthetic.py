"""Synthetic demo dataset: deterministic, valid COCO keypoints, varied, idempotent, atomic, perfect-score eval."""
import contextlib
import io
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from rtmpose.metainfo import COCO17
from rtmpose.synthetic import ensure_demo_dataset, generate_demo_dataset, render_scene, writer
from rtmpose.synthetic.placement import box_overlap
from tests.paths import REPO_ROOT, load_script

NUM_TRAIN, NUM_VAL = 20, 8


@pytest.fixture(scope='module')
def dataset(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return generate_demo_dataset(tmp_path_factory.mktemp('demo') / 'demo', NUM_TRAIN, NUM_VAL, seed=0)


def load_coco(ann_file: str) -> COCO:
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(ann_file)


def all_annotations(dataset: dict) -> list[tuple[dict, dict]]:
    """``(image, annotation)`` pairs of both splits."""
    pairs = []
    for split in ('train', 'val'):
        coco = json.loads(Path(dataset['ann_files'][split]).read_text())
        images = {image['id']: image for image in coco['images']}
        pairs += [(images[ann['image_id']], ann) for ann in coco['annotations']]
    return pairs


def folder_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob('*'))
            if p.is_file() and p.name != 'meta.json'}


def test_layout_and_summary(dataset):
    root = Path(dataset['root'])
    assert dataset['generated']
    assert sorted(p.name for p in root.iterdir()) == ['annotations', 'meta.json', 'train', 'val']
    assert len(list((root / 'train').glob('*.jpg'))) == NUM_TRAIN
    assert len(list((root / 'val').glob('*.jpg'))) == NUM_VAL
    assert dataset['stats']['train']['images'] == NUM_TRAIN
    meta = json.loads((root / 'meta.json').read_text())
    assert (meta['seed'], meta['num_train'], meta['num_val']) == (0, NUM_TRAIN, NUM_VAL)


def test_deterministic_and_independent_of_counts(dataset, tmp_path):
    again = generate_demo_dataset(tmp_path / 'again', NUM_TRAIN, NUM_VAL, seed=0)
    assert folder_bytes(Path(again['root'])) == folder_bytes(Path(dataset['root']))

    fewer = generate_demo_dataset(tmp_path / 'fewer', NUM_TRAIN // 2, 0, seed=0)
    full = json.loads(Path(dataset['ann_files']['train']).read_text())
    part = json.loads(Path(fewer['ann_files']['train']).read_text())
    assert part['images'] == full['images'][:NUM_TRAIN // 2]
    assert part['annotations'] == [a for a in full['annotations'] if a['image_id'] <= NUM_TRAIN // 2]
    for image in part['images']:
        name = image['file_name']
        assert (Path(fewer['img_dirs']['train']) / name).read_bytes() == \
            (Path(dataset['img_dirs']['train']) / name).read_bytes()

    other_seed = generate_demo_dataset(tmp_path / 'other', 2, 0, seed=1)
    assert (Path(other_seed['img_dirs']['train']) / part['images'][0]['file_name']).read_bytes() != \
        (Path(dataset['img_dirs']['train']) / part['images'][0]['file_name']).read_bytes()


@pytest.mark.parametrize('split', ['train', 'val'])
def test_valid_coco_keypoints(dataset, split):
    coco = load_coco(dataset['ann_files'][split])
    cat = coco.loadCats(1)[0]
    assert cat['name'] == 'person' and len(cat['keypoints']) == 17 and len(cat['skeleton']) == 19
    assert cat['keypoints'][:3] == ['nose', 'left_eye', 'right_eye'] and cat['keypoints'][-1] == 'right_ankle'
    assert cat['keypoints'] == list(COCO17.keypoint_names) and cat['skeleton'] == COCO17.coco_skeleton()
    ids = coco.getAnnIds()
    assert len(ids) == len(set(ids)) > 0
    for image in coco.loadImgs(coco.getImgIds()):
        pixels = cv2.imread(str(Path(dataset['img_dirs'][split]) / image['file_name']))
        assert pixels.shape == (image['height'], image['width'], 3)
        assert 256 <= max(pixels.shape[:2]) <= 384
        for ann in coco.loadAnns(coco.getAnnIds(imgIds=image['id'])):
            assert ann['category_id'] == 1 and ann['iscrowd'] == 0
            kpts = np.array(ann['keypoints'], dtype=float).reshape(17, 3)
            v = kpts[:, 2]
            assert set(v) <= {0, 1, 2}
            assert ann['num_keypoints'] == np.count_nonzero(v) > 0
            assert np.all(kpts[v == 0, :2] == 0)
            labelled = kpts[v > 0, :2]
            assert np.all(labelled >= 0)
            assert np.all(labelled <= [image['width'] - 1, image['height'] - 1])
            x, y, w, h = ann['bbox']
            assert x >= 0 and y >= 0 and w > 0 and h > 0
            assert x + w <= image['width'] and y + h <= image['height']
            assert np.all(labelled >= [x - 0.01, y - 0.01]) and np.all(labelled <= [x + w + 0.01, y + h + 0.01])
            assert 0 < ann['area'] <= w * h


def test_variety(dataset):
    pairs = all_annotations(dataset)
    per_image = np.bincount([ann['image_id'] for _, ann in pairs])
    assert per_image.max() >= 3 and np.count_nonzero(per_image >= 2) >= 3
    visibility = np.concatenate([ann['keypoints'][2::3] for _, ann in pairs])
    assert np.count_nonzero(visibility == 0) >= 10  # truncated by the border
    assert np.count_nonzero(visibility == 1) >= 10  # occluded
    assert np.count_nonzero(visibility == 2) > 0.6 * visibility.size
    truncated = sum(any(v == 0 for v in ann['keypoints'][2::3]) for _, ann in pairs)
    assert truncated >= 3
    heights = np.array([ann['bbox'][3] / image['height'] for image, ann in pairs if ann['num_keypoints'] == 17])
    assert heights.max() > 0.6 and heights.max() / heights.min() > 1.6  # figures at 40-90 % of the image height
    sizes = {(image['width'], image['height']) for image, _ in pairs}
    assert len(sizes) > 5


def test_overlap_is_the_shared_share_of_the_smaller_box():
    box = np.array([0.0, 0.0, 10.0, 10.0])
    assert box_overlap(box, []) == 0
    assert box_overlap(box, [np.array([20.0, 0.0, 30.0, 10.0])]) == 0
    assert box_overlap(box, [np.array([5.0, 5.0, 15.0, 15.0])]) == pytest.approx(0.25)
    assert box_overlap(box, [np.array([2.0, 2.0, 4.0, 4.0]), np.array([5.0, 0.0, 25.0, 10.0])]) == 1.0


def test_figures_stand_apart_but_still_hide_each_other():
    pairs = []
    for index in range(60):
        _, people = render_scene(np.random.default_rng([7, 0, index]))
        boxes = [np.array(p['bbox'], float) + [0, 0, *p['bbox'][:2]] for p in people]
        pairs += [box_overlap(a, [b]) for i, a in enumerate(boxes) for b in boxes[i + 1:]]
    pairs = np.array(pairs)
    assert len(pairs) >= 40
    assert np.mean(pairs > 0) > 0.15  # figures still overlap, so nearer ones hide parts of farther ones
    assert np.mean(pairs > 0.6) < 0.05  # a crowd of stacked figures is rare (painted boxes exceed the placed ones)


def test_idempotent(dataset):
    root = Path(dataset['root'])
    files = [root / 'meta.json', Path(dataset['ann_files']['val']), next((root / 'train').glob('*.jpg'))]
    before = [f.stat().st_mtime_ns for f in files]
    again = generate_demo_dataset(root, NUM_TRAIN, NUM_VAL, seed=0)
    assert not again['generated'] and again['stats'] == dataset['stats']
    assert not ensure_demo_dataset(root, NUM_TRAIN, NUM_VAL, seed=0)['generated']
    assert [f.stat().st_mtime_ns for f in files] == before


def test_other_settings_need_overwrite_or_a_folder_of_their_own(tmp_path):
    root = tmp_path / 'demo'
    generate_demo_dataset(root, 2, 1, seed=0)
    with pytest.raises(FileExistsError, match='overwrite=True'):
        generate_demo_dataset(root, 2, 1, seed=1)
    assert generate_demo_dataset(root, 2, 1, seed=1, overwrite=True)['generated']
    assert json.loads((root / 'meta.json').read_text())['seed'] == 1

    foreign = tmp_path / 'foreign'
    foreign.mkdir()
    (foreign / 'notes.txt').write_text('not a demo dataset')
    with pytest.raises(FileExistsError):
        ensure_demo_dataset(foreign, 2, 1)
    assert (foreign / 'notes.txt').is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ['demo', 'foreign']  # no temporary folders left


def test_changed_settings_never_replace_a_demo_folder_or_a_users_file(tmp_path):
    """Issue 23 item 11: a demo_cfg change regenerated the data root wholesale, deleting a user's file in it."""
    root = tmp_path / 'demo'
    ensure_demo_dataset(root, 2, 1, seed=0)
    (root / 'notes.txt').write_text('my notes')
    (root / 'val' / 'extra.jpg').write_bytes(b'a user image')
    before = folder_bytes(root)
    with pytest.raises(FileExistsError, match=r'demo dataset with seed=0, num_train=2, num_val=1; the one with seed=0, '
                                              r'num_train=3, num_val=1 goes in a folder of its own'):
        ensure_demo_dataset(root, 3, 1, seed=0)
    with pytest.raises(FileExistsError, match=r'did not write \(.*notes\.txt, .*extra\.jpg\).*never replaced'):
        generate_demo_dataset(root, 3, 1, seed=0, overwrite=True)
    assert folder_bytes(root) == before
    assert ensure_demo_dataset(tmp_path / 'seed0_train3_val1', 3, 1, seed=0)['generated']  # its own folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ['demo', 'seed0_train3_val1']


def test_a_set_of_an_older_generator_version_is_regenerated_in_place(tmp_path):
    root = tmp_path / 'demo'
    ensure_demo_dataset(root, 2, 1, seed=0)
    meta = json.loads((root / 'meta.json').read_text())
    (root / 'meta.json').write_text(json.dumps(dict(meta, version=meta['version'] - 1)))
    assert ensure_demo_dataset(root, 2, 1, seed=0)['generated']
    assert json.loads((root / 'meta.json').read_text())['version'] == meta['version']


def test_interrupted_generation_leaves_nothing(tmp_path, monkeypatch):
    written = []
    original = writer.write_image

    def failing_writer(path: Path, image: np.ndarray) -> None:
        if len(written) == 5:
            raise RuntimeError('disk full')
        written.append(path)
        original(path, image)

    monkeypatch.setattr(writer, 'write_image', failing_writer)
    with pytest.raises(RuntimeError, match='disk full'):
        generate_demo_dataset(tmp_path / 'demo', 8, 2)
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setattr(writer, 'write_image', original)
    generate_demo_dataset(tmp_path / 'demo', 2, 1)
    before = folder_bytes(tmp_path / 'demo')
    written.clear()
    monkeypatch.setattr(writer, 'write_image', failing_writer)
    with pytest.raises(RuntimeError, match='disk full'):
        generate_demo_dataset(tmp_path / 'demo', 8, 2, overwrite=True)
    assert folder_bytes(tmp_path / 'demo') == before  # the old dataset is untouched
    assert [p.name for p in tmp_path.iterdir()] == ['demo']


def test_a_concurrent_run_that_finished_first_is_kept(tmp_path):
    root = tmp_path / 'demo'

    def progress(split: str, done: int, total: int) -> None:
        if split == 'val' and not root.exists():  # another process finishes while this one is still writing
            generate_demo_dataset(root, 2, 1, seed=0)

    meta_file = root / 'meta.json'
    summary = generate_demo_dataset(root, 2, 1, seed=0, progress=progress)
    assert not summary['generated']
    assert json.loads(meta_file.read_text())['seconds'] == summary['seconds']
    assert [p.name for p in tmp_path.iterdir()] == ['demo']


def test_cocoeval_of_ground_truth_is_perfect(dataset):
    gt = load_coco(dataset['ann_files']['val'])
    results = [dict(image_id=a['image_id'], category_id=1, keypoints=a['keypoints'], score=1.0)
               for a in gt.loadAnns(gt.getAnnIds())]
    with contextlib.redirect_stdout(io.StringIO()):
        dt = gt.loadRes(results)
        evaluator = COCOeval(gt, dt, 'keypoints')
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    assert evaluator.stats[0] == pytest.approx(1.0)  # AP
    assert evaluator.stats[5] == pytest.approx(1.0)  # AR


def test_mmpose_coco_dataset_reads_it(dataset):
    datasets = pytest.importorskip('mmpose.datasets')
    root = Path(dataset['root'])
    coco = json.loads(Path(dataset['ann_files']['val']).read_text())
    data = datasets.CocoDataset(data_root=str(root), ann_file='annotations/person_keypoints_val.json',
                                data_prefix=dict(img='val/'), data_mode='topdown', pipeline=[], test_mode=True)
    assert len(data) == len(coco['annotations'])
    sample = data[0]
    assert Path(sample['img_path']).is_file()
    assert sample['keypoints'].shape == (1, 17, 2) and sample['bbox'].shape == (1, 4)


def test_cli(tmp_path, capsys):
    cli = load_script(REPO_ROOT / 'tools' / 'make_demo_dataset.py')
    args = ['--out', str(tmp_path / 'demo'), '--num-train', '3', '--num-val', '2', '--seed', '4']
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert 'train: 3/3 images' in out and 'images/s' in out and '"generated": true' in out
    assert cli.main(args) == 0
    assert 'up to date' in capsys.readouterr().out
    assert cli.main(args[:-2]) == 1  # other seed without --overwrite
    assert cli.main(args[:-2] + ['--overwrite']) == 0


def test_demo_dataset_of_other_settings_stops_with_a_data_error_and_keeps_everything(tmp_path):
    """What `mim train --cfg-options ...demo_cfg.num_train=3` without a data_root of its own meets."""
    from rtmpose.datasets.demo_dataset import DemoCocoDataset
    from rtmpose.utils.data_scan import DataError

    root = tmp_path / 'seed0_train2_val1'
    args = dict(data_root=str(root), ann_file='annotations/person_keypoints_val.json', data_prefix=dict(img='val/'),
                test_mode=True)
    assert len(DemoCocoDataset(demo_cfg=dict(num_train=2, num_val=1, seed=0), **args)) > 0
    (root / 'notes.txt').write_text('my notes')
    before = folder_bytes(root)
    with pytest.raises(DataError, match='num_train=3, num_val=1 goes in a folder of its own'):
        DemoCocoDataset(demo_cfg=dict(num_train=3, num_val=1, seed=0), **args)
    assert folder_bytes(root) == before


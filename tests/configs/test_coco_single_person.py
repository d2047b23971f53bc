"""COCO-SinglePerson: tools/make_coco_single_person.py keeps the images with exactly one, non-crowd, labelled person
(checked on the real COCO fixture of ../shared and on variants of it), and the configs/coco/*_coco-single-person.py
configs test that subset without flip test; CocoMetric scores it."""
import json

import pytest

from tests.configs.family import evaluate, fixture_test_set, ground_truth, load, our_configs, packed_samples
from tests.conftest import require_shared
from tests.paths import REPO_ROOT, load_script

TOOL = load_script(REPO_ROOT / 'tools' / 'make_coco_single_person.py')


@pytest.fixture
def coco(shared_dir) -> dict:
    return json.loads(require_shared(shared_dir, 'data/coco/test_coco.json').read_text())


def write(tmp_path, coco: dict):
    ann_in, ann_out = tmp_path / 'in.json', tmp_path / 'out' / 'single.json'
    ann_in.write_text(json.dumps(coco))
    assert TOOL.main([str(ann_in), str(ann_out)]) == 0
    return json.loads(ann_out.read_text())


def test_the_fixture_has_one_single_person_image(coco, tmp_path, capsys):
    # 785: one labelled person. 40083 (3 annotations), 196141 and 197388 (5 each): several
    out = write(tmp_path, coco)
    assert [img['id'] for img in out['images']] == [785]
    assert [ann['image_id'] for ann in out['annotations']] == [785]
    assert out['categories'] == coco['categories']
    assert '1 single-person images of 4' in capsys.readouterr().out


def test_crowd_regions_count_and_unlabelled_persons_do_not_qualify(coco, tmp_path):
    one = next(ann for ann in coco['annotations'] if ann['image_id'] == 785)
    crowd = dict(one, id=999001, iscrowd=1)
    coco_with_crowd = dict(coco, annotations=coco['annotations'] + [crowd])
    assert write(tmp_path, coco_with_crowd)['images'] == []  # 785 now has 2 annotations
    unlabelled = dict(coco, annotations=[dict(one, num_keypoints=0)] + coco['annotations'][1:])
    assert write(tmp_path, unlabelled)['images'] == []


def test_bad_paths_are_named_and_nothing_is_overwritten(tmp_path, capsys):
    assert TOOL.main([str(tmp_path / 'nope.json'), str(tmp_path / 'out.json')]) == 2
    assert 'annotation file not found' in capsys.readouterr().err
    (tmp_path / 'a.json').write_text('{}')
    assert TOOL.main([str(tmp_path / 'a.json'), str(tmp_path / 'a.json')]) == 2
    assert TOOL.main([str(tmp_path / 'a.json'), str(tmp_path / 'b.json')]) == 2
    assert 'not a COCO annotation file' in capsys.readouterr().err and not (tmp_path / 'b.json').exists()
    (tmp_path / 'cut.json').write_text('{"images": [{"id": 1')
    assert TOOL.main([str(tmp_path / 'cut.json'), str(tmp_path / 'c.json')]) == 2
    assert 'cut.json is not valid JSON' in capsys.readouterr().err and not (tmp_path / 'c.json').exists()


@pytest.mark.parametrize('name', our_configs('coco/rtmpose-*_coco-single-person.py'))
def test_configs_test_the_subset_without_flip(name):
    model = name.split('/')[-1].split('_')[0]
    cfg, base = load(name), load(f'{model}_coco.py')
    assert not cfg.model.test_cfg.flip_test
    assert cfg.test_dataloader.dataset.ann_file == 'annotations/person_keypoints_val2017_single_person.json'
    assert cfg.test_evaluator.ann_file == 'data/coco/annotations/person_keypoints_val2017_single_person.json'
    for key in ('train_dataloader', 'val_dataloader', 'val_evaluator', 'optim_wrapper', 'codec'):
        assert cfg[key] == base[key], key
    assert {k: v for k, v in cfg.model.items() if k != 'test_cfg'} == {k: v for k, v in base.model.items()
                                                                     if k != 'test_cfg'}


def test_ground_truth_on_the_subset_scores_ap_1(shared_dir, coco, tmp_path):
    write(tmp_path, coco)
    cfg = load('coco/rtmpose-m_coco-single-person.py')
    dataset, metric = fixture_test_set(cfg, shared_dir / 'data/coco', str(tmp_path / 'out' / 'single.json'))
    assert len(dataset) == 1
    assert evaluate(metric, packed_samples(dataset), ground_truth(dataset))['coco/AP'] == pytest.approx(1.)

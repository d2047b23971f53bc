"""tools/make_config.py on real keypoint sets of other kinds (Animal-Pose, fly, zebra in ../shared) and on small
hand-written COCO exports with what real exports vary in and what they get wrong."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rtmpose.custom import DEFAULT_SIGMA, infer_flip_pairs
from rtmpose.metainfo import load_keypoint_set
from tests.conftest import require_shared
from tests.paths import REPO_ROOT, load_script

SCRIPT = REPO_ROOT / 'tools' / 'make_config.py'
MIM = str(Path(sys.executable).with_name('mim'))
SETS = {'animalpose': 'test_animalpose.json', 'fly': 'test_fly.json', 'zebra': 'test_zebra.json'}


@pytest.fixture(scope='module')
def tool():
    return load_script(SCRIPT)


def run_tool(tool, *argv) -> tuple[int, str, str]:
    """``main(argv)`` in process: ``(exit code, stdout, stderr)``."""
    import contextlib
    import io
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = tool.main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def names_of(shared_dir: Path, name: str) -> tuple[str, ...]:
    ann = require_shared(shared_dir, f'data/{name}/{SETS[name]}')
    return tuple(json.loads(ann.read_text())['categories'][0]['keypoints'])


def pairs(names, partner) -> set[tuple[str, str]]:
    return {(names[i], names[j]) for i, j in partner.items() if i < j}


# ------------------------------------------------------------------------------------------------ flip pairs
def test_flip_pairs_of_animalpose_pair_l_and_r(shared_dir):
    names = names_of(shared_dir, 'animalpose')
    found = pairs(names, infer_flip_pairs(names))
    assert ('L_Eye', 'R_Eye') in found and ('L_F_Paw', 'R_F_Paw') in found and ('L_B_Knee', 'R_B_Knee') in found
    assert len(found) == 8  # Nose, Throat, TailBase, Withers flip onto themselves


def test_flip_pairs_of_fly_and_zebra_pair_infix_letters(shared_dir):
    fly = names_of(shared_dir, 'fly')
    found = pairs(fly, infer_flip_pairs(fly))
    assert {('eyeL', 'eyeR'), ('wingL', 'wingR'), ('forelegR1', 'forelegL1'), ('hindlegR4', 'hindlegL4')} <= found
    assert len(found) == 14
    zebra = names_of(shared_dir, 'zebra')
    assert pairs(zebra, infer_flip_pairs(zebra)) == {('forelegL1', 'forelegR1'), ('hindlegL1', 'hindlegR1')}


def test_flip_pairs_of_word_styles():
    names = ('left_eye', 'right_eye', 'LeftHand', 'RightHand', 'l_knee', 'r_knee', 'NearHock', 'OffHock',
             'LEFT_EAR', 'RIGHT_EAR', 'nose', 'leftover')
    assert pairs(names, infer_flip_pairs(names)) == {
        ('left_eye', 'right_eye'), ('LeftHand', 'RightHand'), ('l_knee', 'r_knee'), ('NearHock', 'OffHock'),
        ('LEFT_EAR', 'RIGHT_EAR')}


def test_flip_pairs_ambiguous_names_ask_for_the_pair():
    with pytest.raises(ValueError, match=r"'leftL' could flip onto any of \['leftR', 'rightL'\]: .*--flip-pairs"):
        infer_flip_pairs(('leftL', 'rightL', 'leftR'))


# ------------------------------------------------------------------------------------------------ real sets
@pytest.mark.parametrize('name', list(SETS))
def test_writes_config_and_metainfo_that_mmpose_loads(tool, shared_dir, tmp_path, name):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmpose.datasets import CocoDataset
    from mmpose.datasets.datasets.utils import parse_pose_metainfo

    import rtmpose.registry  # noqa: F401  (our codec and transforms in the `rtmpose` scope)

    ann = require_shared(shared_dir, f'data/{name}/{SETS[name]}')
    out = tmp_path / 'custom' / f'{name}.py'
    code, stdout, stderr = run_tool(tool, ann, '--img-dir', ann.parent, '--val-ann', ann, '--out', out)
    assert code == 0, stderr
    names = names_of(shared_dir, name)
    assert f'{len(names)} keypoints each' in stdout and f'mim train mmpose {out}' in stdout
    assert 'detector' in stdout  # says the detector config is not written yet

    metainfo = out.with_name(f'{name}_metainfo.py')
    kset = load_keypoint_set(str(metainfo))
    assert kset.keypoint_names == names and np.allclose(kset.sigmas, DEFAULT_SIGMA)
    coco = json.loads(ann.read_text())['categories'][0]
    assert kset.coco_skeleton() == coco['skeleton']
    assert pairs(names, dict(kset.flip_pairs)) == pairs(names, infer_flip_pairs(names))
    assert '# OKS sigmas' in metainfo.read_text()
    kpt_colors, link_colors = kset.colors()
    if name == 'animalpose':  # MMPose's COCO colours: left green, right orange, the middle line blue
        color = {'L_Eye': [0, 255, 0], 'R_F_Paw': [255, 128, 0], 'Nose': [51, 153, 255]}
        assert {kpt: kpt_colors[names.index(kpt)].tolist() for kpt in color} == color
    assert len(link_colors) == len(coco['skeleton'])
    meta = parse_pose_metainfo(dict(from_file=str(metainfo)))
    assert meta['num_keypoints'] == len(names) and list(meta['flip_indices']) == kset.flip_indices

    cfg = Config.fromfile(out)
    assert cfg.model.head.out_channels == len(names) and cfg.val_evaluator.type == 'CocoMetric'
    with DefaultScope.overwrite_default_scope('rtmpose'):
        dataset = CocoDataset(**{k: v for k, v in cfg.train_dataloader.dataset.items() if k != 'type'})
        assert len(dataset) == len(json.loads(ann.read_text())['annotations'])
        sample = dataset[0]
    assert sample['inputs'].shape[-2:] == (256, 192)
    assert dataset.metainfo['dataset_name'] == name and np.allclose(dataset.metainfo['sigmas'], DEFAULT_SIGMA)


def test_written_config_trains_and_validates(tool, shared_dir, tmp_path):
    """A few iterations of ``mim train`` of the written config on the fly set, with a validation (COCO AP with the
    written sigmas) on the image held out by --val-split."""
    ann = require_shared(shared_dir, 'data/fly/test_fly.json')
    out = tmp_path / 'fly.py'
    code, _, stderr = run_tool(tool, ann, '--img-dir', ann.parent, '--val-split', '0.5', '--input-size', '96', '128',
                               '--batch-size', '1', '--out', out)
    assert code == 0, stderr
    work = tmp_path / 'work'
    cmd = [MIM, 'train', 'mmpose', str(out), '--work-dir', str(work), '--cfg-options', 'model.backbone.init_cfg=None',
           'train_cfg.max_epochs=1', 'train_cfg.val_interval=1', 'param_scheduler.0.end=1',
           'param_scheduler.1.begin=0', 'param_scheduler.1.end=1', 'param_scheduler.1.T_max=1',
           'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
           'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False']
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert 'Epoch(train) [1][1/1]' in log
    ap = re.search(r'Epoch\(val\) \[1\]\[1/1\]\s+coco/AP: (-?[\d.]+)', log)
    assert ap and 0 <= float(ap.group(1)) <= 1  # scored (an untrained model: about 0), not -1 (nothing to score)
    assert list(work.glob('best_coco_AP_epoch_1.pth')) or list(work.glob('epoch_1.pth'))


# ------------------------------------------------------------------------------------------------ exports vary
def coco_file(tmp_path: Path, names=('left_eye', 'right_eye', 'nose'), anns=None, categories=None, name='ann.json',
              **extra) -> Path:
    """A small COCO keypoint export: 3 images, one animal each (the last image unannotated)."""
    images = [dict(id=i, file_name=f'{i}.jpg', width=100, height=80) for i in (1, 2, 3)]
    if anns is None:
        anns = [dict(id=10 + i, image_id=i, category_id=7, iscrowd=0, bbox=[10, 10, 50, 40], area=2000,
                     num_keypoints=3, keypoints=[20, 20, 2, 40, 20, 1, 30, 30, 2]) for i in (1, 2)]
    cats = categories or [dict(id=7, name='dog', supercategory='animal', keypoints=list(names),
                               skeleton=[[1, 3], [2, 3]])]
    path = tmp_path / name
    path.write_text(json.dumps(dict(images=images, annotations=anns, categories=cats, **extra)))
    return path


def test_varied_export_is_normalised(tool, tmp_path):
    """Category id 7 next to a box-only category, num_keypoints missing or wrong, boxes missing, a crowd
    annotation, an image without annotations, visibility 1 and 2."""
    anns = [dict(id=1, image_id=1, category_id=7, keypoints=[20, 20, 2, 40, 20, 1, 30, 30, 2]),
            dict(id=2, image_id=2, category_id=7, num_keypoints=1, bbox=[0, 0, 90, 70], area=6300,
                 keypoints=[20, 20, 2, 40, 20, 2, 0, 0, 0]),
            dict(id=3, image_id=2, category_id=7, iscrowd=1, bbox=[0, 0, 10, 10], area=100, num_keypoints=0,
                 keypoints=[0] * 9),
            dict(id=4, image_id=1, category_id=1, bbox=[0, 0, 5, 5], area=25)]
    cats = [dict(id=1, name='person'), dict(id=7, name='dog', keypoints=['left_eye', 'right_eye', 'nose'])]
    ann = coco_file(tmp_path, anns=anns, categories=cats)
    out = tmp_path / 'dog.py'
    code, stdout, stderr = run_tool(tool, ann, '--img-dir', tmp_path, '--val-ann', ann, '--out', out)
    assert code == 0, stderr
    assert '3 images (2 annotated), 2 instances (+1 crowd)' in stdout and '5 labelled' in stdout
    assert '4 visible' in stdout and '1 boxes missing, derived' in stdout
    written = json.loads(out.with_name('dog_train.json').read_text())
    assert [c['id'] for c in written['categories']] == [7] and len(written['annotations']) == 3
    assert written['annotations'][0]['bbox'] == [20., 20., 20., 10.]
    assert [a['num_keypoints'] for a in written['annotations']] == [3, 2, 0]


def test_val_split_is_disjoint_by_image_and_seeded(tool, tmp_path):
    anns = [dict(id=i, image_id=1 + i % 3, category_id=7, bbox=[0, 0, 9, 9], keypoints=[1, 1, 2] * 3)
            for i in range(9)]
    ann = coco_file(tmp_path, anns=anns)
    splits = []
    for run in ('a', 'b'):
        out = tmp_path / run / 'dog.py'
        assert run_tool(tool, ann, '--img-dir', tmp_path, '--val-split', '0.4', '--out', out)[0] == 0
        train, val = (json.loads(out.with_name(f'dog_{s}.json').read_text()) for s in ('train', 'val'))
        splits.append(({a['image_id'] for a in train['annotations']}, {a['image_id'] for a in val['annotations']}))
        assert not splits[-1][0] & splits[-1][1] and len(train['annotations']) + len(val['annotations']) == 9
    assert splits[0] == splits[1] and len(splits[0][1]) == 1


def test_flip_pairs_and_sigmas_given(tool, tmp_path):
    ann = coco_file(tmp_path, names=('left_eye', 'right_eye', 'nose', 'tail'))
    ann.write_text(ann.read_text().replace('30, 30, 2]', '30, 30, 2, 5, 5, 2]'))
    sig = tmp_path / 'sigmas.txt'
    sig.write_text('0.025 0.025\n0.05 0.1\n')
    out = tmp_path / 'dog.py'
    code, stdout, stderr = run_tool(tool, ann, '--img-dir', tmp_path, '--val-ann', ann, '--out', out,
                                    '--flip-pairs', 'left_eye:left_eye,nose:tail', '--sigmas', sig)
    assert code == 0, stderr
    kset = load_keypoint_set(str(out.with_name('dog_metainfo.py')))
    assert kset.flip_pairs == ((2, 3),) and np.allclose(kset.sigmas, [0.025, 0.025, 0.05, 0.1])
    assert 'nose <-> tail (--flip-pairs)' in stdout and 'flip onto themselves (no partner): left_eye, right_eye' \
        in stdout


# ------------------------------------------------------------------------------------------------ bad input
def bad(tool, tmp_path, ann, *extra) -> str:
    """The error of a run that must fail, after checking that nothing was written."""
    out = tmp_path / 'out' / 'dog.py'
    code, stdout, stderr = run_tool(tool, ann, '--img-dir', tmp_path, '--val-ann', ann, '--out', out, *extra)
    assert code == 1 and stderr.startswith('error: ') and not stdout
    assert not (tmp_path / 'out').exists() or not any((tmp_path / 'out').iterdir())
    return stderr


def test_bad_keypoint_array_length(tool, tmp_path):
    anns = [dict(id=5, image_id=1, category_id=7, bbox=[0, 0, 9, 9], keypoints=[1, 1, 2] * 2)]
    err = bad(tool, tmp_path, coco_file(tmp_path, anns=anns))
    assert 'ann.json' in err and 'annotation 5 has 6 keypoint values, not 3 x 3' in err and 're-export' in err


def test_bad_repeated_names(tool, tmp_path):
    err = bad(tool, tmp_path, coco_file(tmp_path, names=('eye', 'eye', 'nose')))
    assert 'ann.json' in err and "'eye' repeats" in err and 'own name' in err


def test_bad_skeleton_index(tool, tmp_path):
    cats = [dict(id=7, name='dog', keypoints=['a', 'b', 'c'], skeleton=[[1, 2], [3, 4]])]
    err = bad(tool, tmp_path, coco_file(tmp_path, categories=cats))
    assert 'ann.json' in err and 'skeleton link 1 [3, 4]' in err and '1-based' in err and 'fix or remove' in err


def test_bad_flip_pair_given_twice(tool, tmp_path):
    err = bad(tool, tmp_path, coco_file(tmp_path), '--flip-pairs', 'left_eye:right_eye,right_eye:left_eye')
    assert "'right_eye:left_eye' gives a pair again" in err and 'one partner' in err


def test_bad_flip_pair_two_partners(tool, tmp_path):
    err = bad(tool, tmp_path, coco_file(tmp_path), '--flip-pairs', 'left_eye:right_eye,left_eye:nose')
    assert "'left_eye:nose' would flip 'left_eye' onto both 'right_eye' and 'nose'" in err


def test_bad_flip_pair_unknown_name(tool, tmp_path):
    err = bad(tool, tmp_path, coco_file(tmp_path), '--flip-pairs', 'left_eye:rigth_eye')
    assert 'ann.json' in err and "'rigth_eye'" in err and 'left_eye, right_eye, nose' in err


@pytest.mark.parametrize('sigmas', ['0.05,0.05', '0.05,0.05,0.05,0.05', 'a,b,c'])
def test_bad_sigmas(tool, tmp_path, sigmas):
    err = bad(tool, tmp_path, coco_file(tmp_path), '--sigmas', sigmas)
    assert 'ann.json' in err and f'--sigmas {sigmas!r}' in err


def test_bad_no_keypoints_at_all(tool, tmp_path):
    cats = [dict(id=7, name='dog')]
    err = bad(tool, tmp_path, coco_file(tmp_path, categories=cats))
    assert 'ann.json has no category with keypoints' in err and 'COCO Keypoints' in err
    anns = [dict(id=1, image_id=1, category_id=7, bbox=[0, 0, 9, 9], keypoints=[0] * 9)]
    err = bad(tool, tmp_path, coco_file(tmp_path, anns=anns))
    assert 'no annotation' in err and 'labelled keypoint' in err


def test_bad_several_categories(tool, tmp_path):
    cats = [dict(id=1, name='dog', keypoints=['a', 'b', 'c']), dict(id=7, name='cat', keypoints=['a', 'b', 'c'])]
    ann = coco_file(tmp_path, categories=cats)
    err = bad(tool, tmp_path, ann)
    assert "2 categories with keypoints ('dog', 'cat')" in err and '--category NAME' in err
    assert "no keypoint category 'cow'" in bad(tool, tmp_path, ann, '--category', 'cow')
    code, stdout, stderr = run_tool(tool, ann, '--img-dir', tmp_path, '--val-ann', ann, '--category', 'cat', '--out',
                                    tmp_path / 'cat.py')
    assert code == 0, stderr
    assert json.loads((tmp_path / 'cat_train.json').read_text())['categories'][0]['name'] == 'cat'


def test_bad_out_exists_without_force(tool, tmp_path):
    ann = coco_file(tmp_path)
    out = tmp_path / 'dog.py'
    out.write_text('# mine\n')
    code, _, err = run_tool(tool, ann, '--img-dir', tmp_path, '--val-ann', ann, '--out', out)
    assert code == 1 and str(out) in err and '--force' in err and out.read_text() == '# mine\n'
    assert not out.with_name('dog_metainfo.py').exists()
    assert run_tool(tool, ann, '--img-dir', tmp_path, '--val-ann', ann, '--out', out, '--force')[0] == 0
    assert 'tools/make_config.py' in out.read_text()


@pytest.mark.parametrize('extra, message', [
    (('--model', 'rtmpose-x'), "--model 'rtmpose-x' is not a size with a recipe here: choose one of rtmpose-l, "),
    (('--input-size', '200', '256'), '--input-size 200 256: width and height must be multiples of 32'),
    (('--val-split', '1.5'), '--val-split 1.5 is not a fraction between 0 and 1'),
    (('--val-img-dir', 'nowhere'), 'image folder nowhere not found')])
def test_bad_options(tool, tmp_path, extra, message):
    ann = coco_file(tmp_path)
    out = tmp_path / 'out' / 'dog.py'
    code, _, err = run_tool(tool, ann, '--img-dir', tmp_path, '--out', out, *extra,
                            *(() if '--val-split' in extra else ('--val-ann', ann)))
    assert code == 1 and message in err and not (tmp_path / 'out').exists()


def test_bad_out_not_python(tool, tmp_path):
    ann = coco_file(tmp_path)
    code, _, err = run_tool(tool, ann, '--img-dir', tmp_path, '--val-ann', ann, '--out', tmp_path / 'dog.yaml')
    assert code == 1 and 'is not a .py file' in err and '--out configs/custom/dog.py' in err
    assert not list(tmp_path.glob('dog*'))


def test_bad_no_val(tool, tmp_path):
    code, _, err = run_tool(tool, coco_file(tmp_path), '--img-dir', tmp_path, '--out', tmp_path / 'o.py')
    assert code == 1 and 'ann.json' in err and '--val-ann FILE, or --val-split 0.1' in err
    assert not (tmp_path / 'o.py').exists()


def test_input_file_is_not_changed(tmp_path):
    """Boxes and counts are fixed in the copies written next to the config, never in the user's file."""
    from rtmpose.custom import read_keypoint_file
    ann = coco_file(tmp_path, anns=[dict(id=1, image_id=1, category_id=7, keypoints=[1, 1, 2, 5, 3, 1, 0, 0, 0])])
    before = ann.read_text()
    kfile = read_keypoint_file(ann)
    assert kfile.annotations[0]['bbox'] == [1., 1., 4., 2.] and kfile.annotations[0]['num_keypoints'] == 2
    assert ann.read_text() == before


def test_config_in_the_repository_inherits_by_relative_path(tmp_path):
    """A config written under configs/ (as the README's configs/custom/horse.py) moves with the repository."""
    from rtmpose.custom.pose_config import DataFiles, Schedule, pose_config_text
    files = DataFiles(*(tmp_path / name for name in ('m.py', 't.json', 'img', 'v.json', 'img')))
    inside = pose_config_text(REPO_ROOT / 'configs' / 'custom' / 'horse.py', 'm', 22, (256, 256), Schedule(100, 16),
                              files, 'train.json')
    assert "_base_ = ['../rtmpose-m_coco.py']" in inside and 'sigma=(5.66, 5.66)' in inside
    outside = pose_config_text(tmp_path / 'horse.py', 'm', 22, (192, 256), Schedule(100, 16), files, 'train.json')
    assert f"_base_ = [{str(REPO_ROOT / 'configs' / 'rtmpose-m_coco.py')!r}]" in outside


@pytest.mark.parametrize('instances, batch, epochs, warmup', [(1, 1, 420, 42), (100, 16, 420, 294),
                                                              (20_000, 64, 32, 1000), (100_000, 64, 30, 1000)])
def test_schedule_rule(instances, batch, epochs, warmup):
    """TRAIN_ITERATIONS' worth of epochs within 30..420, warm-up 1000 iterations or a tenth of the run."""
    from rtmpose.custom.pose_config import Schedule
    schedule = Schedule(instances, batch)
    assert (schedule.max_epochs, schedule.warmup_iters) == (epochs, warmup)
    assert schedule.stage2_epochs == max(1, round(epochs * 30 / 420))


def test_bad_missing_or_broken_file(tool, tmp_path):
    (tmp_path / 'broken.json').write_text('{"images": [')
    err = bad(tool, tmp_path, tmp_path / 'broken.json')
    assert 'broken.json is not JSON' in err
    err = bad(tool, tmp_path, tmp_path / 'missing.json')
    assert 'annotation file' in err and 'missing.json not found' in err

"""The one resolver: names of this repository's metainfo files first, then MMPose's; files, configs, SDK folders;
the default set of a keypoint count; and none of torch / OpenMMLab imported to resolve a name, a file or an SDK
folder (the ONNX Runtime / OpenVINO paths)."""
import json
import subprocess
import sys

import pytest

from rtmpose.metainfo import (
    COCO17,
    keypoint_set_from_sdk,
    load_keypoint_set,
    metainfo_dirs,
    model_keypoint_set,
    resolve_keypoint_set,
)
from rtmpose.metainfo import files as metainfo_files
from tests.paths import CONFIGS, REPO_ROOT

WHOLEBODY_CONFIG = 'configs/wholebody_2d_keypoint/rtmpose/coco-wholebody/rtmpose-t_8xb64-270e_coco-wholebody-256x192.py'
HEAVY = ('torch', 'mmengine', 'mmcv', 'mmdet', 'mmpose', 'mmdeploy')


def test_repository_names_resolve_first():
    """``halpe26`` is in this repository (inheriting MMPose's) and in MMPose: ours is read, with MMPose's values."""
    assert metainfo_dirs()[0] == CONFIGS / '_base_' / 'datasets'
    kset = load_keypoint_set('halpe26')
    assert kset.source == str(CONFIGS / '_base_' / 'datasets' / 'halpe26.py') and kset.num_keypoints == 26
    assert load_keypoint_set('ap10k').source.endswith('mmpose/.mim/configs/_base_/datasets/ap10k.py')


def test_a_set_of_the_repository_by_name(tmp_path, monkeypatch):
    """Adding a keypoint set usable by name is one file in ``configs/_base_/datasets`` (here a stand-in folder): a
    new name, and a name of MMPose's that the repository's file overrides."""
    datasets = tmp_path / 'configs' / '_base_' / 'datasets'
    datasets.mkdir(parents=True)
    (datasets / 'arm.py').write_text(
        "dataset_info = dict(dataset_name='arm', keypoint_info={0: dict(name='base'), 1: dict(name='tip')},\n"
        "                    skeleton_info={0: dict(link=('base', 'tip'))}, joint_weights=[1., 1.], sigmas=[.1, .1])\n")
    (datasets / 'ap10k.py').write_text("_base_ = ['mmpose::_base_/datasets/ap10k.py']\n"
                                       "dataset_info = dict(dataset_name='ap10k_ours', sigmas=[0.05] * 17)\n")
    monkeypatch.setattr(metainfo_files, 'REPO_CONFIG_DIR', tmp_path / 'configs')
    arm = load_keypoint_set('arm', num_keypoints=2)
    assert arm.keypoint_names == ('base', 'tip') and arm.skeleton == ((0, 1), )
    assert arm.source == str(datasets / 'arm.py')
    ours = load_keypoint_set('animal')  # the alias names the set, this repository's file gives it
    assert ours.name == 'ap10k_ours' and list(ours.sigmas) == [0.05] * 17 and ours.num_keypoints == 17
    assert ours.flip_pairs == load_keypoint_set(metainfo_dirs()[1] / 'ap10k.py').flip_pairs


def test_sources_and_errors(tmp_path):
    assert load_keypoint_set('wholebody').name == 'coco_wholebody'  # alias
    assert load_keypoint_set(CONFIGS / 'wholebody' / 'rtmpose-m_coco-wholebody.py').num_keypoints == 133  # config
    with pytest.raises(ValueError, match='unknown keypoint set .*no_such_set.py in .*dataset name'):
        load_keypoint_set('no_such_set')
    with pytest.raises(ValueError, match='predicts 21 keypoints but .coco_wholebody. has 133'):
        load_keypoint_set('coco_wholebody', num_keypoints=21)
    with pytest.raises(ValueError, match='not found'):
        load_keypoint_set(tmp_path / 'missing.py')


@pytest.mark.parametrize('config, num_keypoints, expected', [
    (WHOLEBODY_CONFIG, 133, 'coco_wholebody'),
    ('x/rtmpose-m_8xb32-210e_coco-wholebody-hand-256x256.py', 21, 'coco_wholebody_hand'),
    ('x/rtmpose-m_8xb256-420e_body8-256x192.py', 17, 'coco'),
    ('x/rtmpose-m_8xb512-700e_body8-halpe26-256x192.py', 26, 'halpe26'),
    ('x/rtmw-x_8xb320-270e_cocktail14-384x288.py', 133, 'coco_wholebody'),
    ('x/rtmpose-m_8xb256-120e_face6-256x256.py', 106, 'lapa'),
    ('x/rtmpose-m_8xb64-210e_ap10k-256x256.py', 17, 'ap10k'),
])
def test_sdk_folder_by_config_name(tmp_path, config, num_keypoints, expected):
    """An SDK folder whose config is not here: the set its config's name names (the longest name first)."""
    (tmp_path / 'detail.json').write_text(json.dumps({'codebase': {'config': config}}))
    assert keypoint_set_from_sdk(tmp_path, num_keypoints).name == expected


def test_sdk_folder_that_says_nothing(tmp_path):
    assert model_keypoint_set(tmp_path, 17) is None  # no detail.json: the tracker decides
    (tmp_path / 'detail.json').write_text(json.dumps({'codebase': {'config': 'x/rtmpose-m_8xb256-420e.py'}}))
    assert model_keypoint_set(tmp_path, 17) is None
    with pytest.raises(ValueError, match='cannot tell the keypoints'):
        keypoint_set_from_sdk(tmp_path, 17)


def test_default_set_of_a_keypoint_count():
    assert resolve_keypoint_set(None, 17) is COCO17
    assert resolve_keypoint_set(None, 133).name == 'coco_wholebody'
    assert resolve_keypoint_set('coco_wholebody_hand', 21).num_keypoints == 21
    with pytest.raises(ValueError, match="21 keypoints and carries no keypoint metadata: pass --x a dataset name "
                                         r"\(e.g. .*'coco_wholebody_hand'"):
        resolve_keypoint_set(None, 21, option='--x')


def test_resolving_imports_no_torch_or_openmmlab(tmp_path):
    """Names (this repository's, MMPose's), metainfo files and SDK folders are read as files."""
    (tmp_path / 'detail.json').write_text(json.dumps({'codebase': {'config': WHOLEBODY_CONFIG}}))
    code = f'''
import sys
from rtmpose.metainfo import load_keypoint_set, resolve_keypoint_set
assert load_keypoint_set('halpe26').num_keypoints == 26 and load_keypoint_set('ap10k').num_keypoints == 17
assert load_keypoint_set({str(CONFIGS / '_base_' / 'datasets' / 'lapa.py')!r}).num_keypoints == 106
assert load_keypoint_set({str(tmp_path)!r}, 133).name == 'coco_wholebody'
assert resolve_keypoint_set(None, 17).name == 'coco'
print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120, cwd=str(REPO_ROOT))
    assert out.returncode == 0, out.stderr
    assert 'HEAVY []' in out.stdout, out.stdout

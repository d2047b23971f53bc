"""A metainfo dict means what MMPose's ``parse_pose_metainfo`` makes of it: checked on every metainfo file MMPose
ships and on this repository's; and what MMPose passes silently or as a raw ``KeyError`` is a clear error here that
names the file, the problem and the fix."""
from pathlib import Path

import numpy as np
import pytest

from rtmpose.metainfo import (
    COCO17,
    KeypointSet,
    keypoint_set_from_dataset_meta,
    load_keypoint_set,
    mmpose_config_dir,
    read_metainfo_file,
)
from tests.paths import CONFIGS

MMPOSE_CONFIGS = mmpose_config_dir()
MMPOSE_FILES = sorted((MMPOSE_CONFIGS / '_base_' / 'datasets').glob('*.py')) if MMPOSE_CONFIGS else []
REPO_FILES = sorted((CONFIGS / '_base_' / 'datasets').glob('*.py'))


def parse_pose_metainfo(path: Path) -> dict:
    pytest.importorskip('mmpose', reason='MMPose is the reference')
    from mmpose.datasets.datasets.utils import parse_pose_metainfo

    return parse_pose_metainfo({'from_file': str(path)})


def assert_same_meta(ours: dict, ref: dict) -> None:
    """Every key MMPose's parse gives, equal in value, type and dtype."""
    missing = set(ref) - set(ours)
    assert not missing, missing
    for key, value in ref.items():
        if key == 'stats_info':
            assert ours[key].keys() == value.keys(), key
            assert all(np.array_equal(ours[key][k], v) and ours[key][k].dtype == v.dtype for k, v in value.items())
        elif isinstance(value, np.ndarray):
            assert ours[key].dtype == value.dtype and ours[key].shape == value.shape, key
            assert np.array_equal(ours[key], value), key
        else:
            assert type(ours[key]) is type(value) and ours[key] == value, key


def test_every_mmpose_file_is_there():
    assert len(MMPOSE_FILES) > 40 and len(REPO_FILES) >= 5, (MMPOSE_CONFIGS, REPO_FILES)


#: MMPose's files that its parser reads into a corrupt set, and what we say instead.
MMPOSE_FAULTS = {'deepfashion2': (136, "keypoint 'vest_kpt9' swaps with 'vest_kpt13', but 'vest_kpt13' has swap=''")}


@pytest.mark.parametrize('path', MMPOSE_FILES + REPO_FILES, ids=lambda p: f'{p.parents[2].name}/{p.stem}')
def test_equal_to_mmpose_parse(path):
    """Names, ids, flip indices and pairs, links, colours, joint weights, sigmas, body halves: MMPose's values."""
    if path.stem in MMPOSE_FAULTS:  # a one-sided swap: MMPose flips two keypoints onto one
        keypoint, message = MMPOSE_FAULTS[path.stem]
        flips = parse_pose_metainfo(path)['flip_indices']
        assert flips[flips[keypoint]] != keypoint
        with pytest.raises(ValueError, match=f'^{path}: {message}: give both keypoints'):
            load_keypoint_set(path)
        return
    kset = load_keypoint_set(path)
    assert kset.source == str(path)
    assert_same_meta(kset.dataset_meta(), parse_pose_metainfo(path))
    again = keypoint_set_from_dataset_meta(kset.dataset_meta(), 'again')  # and back from MMPose's form
    assert_same_meta(again.dataset_meta(), kset.dataset_meta())


@pytest.mark.parametrize('path', REPO_FILES, ids=lambda p: p.stem)
def test_repository_files_read_as_mmengine_reads_them(path):
    """Our files inherit MMPose's through ``mmpose::`` ``_base_``: read as files, the same dict as mmengine's."""
    from mmengine.config import Config

    assert read_metainfo_file(path) == _unscoped(Config.fromfile(str(path)).dataset_info.to_dict())


def _unscoped(value):
    """``value`` without the ``_scope_`` keys mmengine adds to what it inherits through ``mmpose::``."""
    if isinstance(value, dict):
        return {key: _unscoped(item) for key, item in value.items() if key != '_scope_'}
    return value


def test_coco17_is_mmpose_coco():
    assert load_keypoint_set('coco') is COCO17
    assert_same_meta(COCO17.dataset_meta(), parse_pose_metainfo(MMPOSE_CONFIGS / '_base_/datasets/coco.py'))


def _write(folder: Path, info: dict, name: str = 'custom.py') -> Path:
    path = folder / name
    path.write_text(f'dataset_info = {info!r}\n')
    return path


def _info(**change) -> dict:
    """A 4-keypoint set (two left/right pairs), with ``change`` applied to its keypoints by name."""
    kpts = {0: dict(name='left_a', swap='right_a'), 1: dict(name='right_a', swap='left_a'),
            2: dict(name='left_b', swap='right_b'), 3: dict(name='right_b', swap='left_b')}
    for name, fields in change.items():
        next(k for k in kpts.values() if k['name'] == name).update(fields)
    return dict(dataset_name='custom', keypoint_info=kpts,
                skeleton_info={0: dict(link=('left_a', 'left_b')), 1: dict(link=('right_a', 'right_b'))},
                joint_weights=[1.0] * 4, sigmas=[0.05] * 4)


def test_a_good_custom_file(tmp_path):
    path = _write(tmp_path, _info())
    kset = load_keypoint_set(path)
    assert kset.flip_pairs == ((0, 1), (2, 3)) and kset.flip_indices == [1, 0, 3, 2] and kset.skeleton == ((0, 2),
                                                                                                           (1, 3))
    assert_same_meta(kset.dataset_meta(), parse_pose_metainfo(path))


@pytest.mark.parametrize('change, message', [
    ({'sigmas': [0.05] * 3}, r'3 sigmas for 4 keypoints: give one OKS sigma per keypoint'),
    ({'keypoint_info': {0: dict(name='a'), 1: dict(name='b'), 2: dict(name='a')}},
     r"the keypoint name 'a' repeats \(keypoints 0 and 2\): give every keypoint its own name"),
    ({'keypoint_info': {1: dict(name='a'), 2: dict(name='b')}}, r'keyed \[1, 2\]; key it 0, 1, 2'),
    ({'skeleton_info': {0: dict(link=('left_a', 'left_c'))}}, r"names 'left_c', which is not a keypoint name"),
    ({'sigmas': None, 'dataset_name': None}, r"lacks \['dataset_name', 'sigmas'\]"),
])
def test_wrong_metainfo_is_named(tmp_path, change, message):
    info = {**_info(), **change}
    for key in [key for key, value in change.items() if value is None]:
        del info[key]
    path = _write(tmp_path, info)
    with pytest.raises(ValueError, match=f'^{path}: .*{message}' if 'lacks' not in message else message):
        load_keypoint_set(path)


@pytest.mark.parametrize('change, message', [
    ({'right_a': dict(swap='')}, r"'left_a' swaps with 'right_a', but 'right_a' has swap='': give both"),
    ({'right_b': dict(swap='left_a')}, r"'left_b' swaps with 'right_b', but 'right_b' has swap='left_a'"),
    ({'left_a': dict(swap='rigth_a')}, r"'left_a' has swap='rigth_a', which is not a keypoint name: fix the spelling"),
])
def test_one_sided_or_misspelled_swap(tmp_path, change, message):
    """MMPose makes a one-sided swap a corrupt ``flip_indices`` (two keypoints flip onto one) and a misspelled one a
    raw ``KeyError``."""
    path = _write(tmp_path, _info(**change))
    with pytest.raises(ValueError, match=f'^{path}: .*{message}'):
        load_keypoint_set(path)


def test_parsed_metainfo_is_checked():
    """The same problems in MMPose's parsed form (a dataset's ``metainfo``), as the training check sees them."""
    meta = COCO17.dataset_meta()
    with pytest.raises(ValueError, match=r"^here: keypoint 'left_eye' flips onto 'right_eye', which flips onto "
                                         r"'right_eye'"):
        keypoint_set_from_dataset_meta({**meta, 'flip_indices': [0, 2, 2] + meta['flip_indices'][3:]}, 'here')
    with pytest.raises(ValueError, match=r'^here: 16 sigmas for 17 keypoints'):
        keypoint_set_from_dataset_meta({**meta, 'sigmas': meta['sigmas'][:16]}, 'here')
    names = {**meta['keypoint_id2name'], 2: 'left_eye'}
    with pytest.raises(ValueError, match=r"^here: the keypoint name 'left_eye' repeats"):
        keypoint_set_from_dataset_meta({**meta, 'keypoint_id2name': names}, 'here')


def test_keypoint_set_checks_itself():
    good = dict(name='x', keypoint_names=('a', 'b', 'c'), skeleton=((0, 1),), sigmas=np.zeros(0), flip_pairs=())
    assert KeypointSet(**good).has_sigmas is False
    with pytest.raises(ValueError, match=r"keypoint set 'x': skeleton link 0 \(1, 3\) is not two keypoint indices in "
                                         r'0..2'):
        KeypointSet(**{**good, 'skeleton': ((1, 3),)})
    with pytest.raises(ValueError, match=r"'a' is flipped onto both 'b' and 'c': give it one partner"):
        KeypointSet(**{**good, 'flip_pairs': ((0, 1), (0, 2))})
    with pytest.raises(ValueError, match=r'keypoint colours of shape \(2, 3\), not \(3, 3\)'):
        KeypointSet(**{**good, 'keypoint_colors': np.zeros((2, 3))})


def test_empty_sigmas_are_an_error_where_oks_needs_them(tmp_path):
    """As MMPose's own horse metainfo: loadable (the tracker falls back to box NMS), refused by what computes OKS."""
    kset = load_keypoint_set(_write(tmp_path, {**_info(), 'sigmas': []}))
    assert not kset.has_sigmas
    with pytest.raises(ValueError, match=rf'^{tmp_path}/custom.py has no OKS sigmas, which the metric needs: add '
                                         r'sigmas=\[...\] \(one per keypoint, 4 values'):
        kset.require_sigmas('the metric')

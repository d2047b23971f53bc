"""The metainfo files the package ships (``rtmpose/metainfo/sets``): one per keypoint set the package names, each
MMPose's own file as MMPose reads it, listed as package data and inside a built wheel, and resolving by name, alias
and ``mmpose::`` inheritance without MMPose installed."""
import configparser
import fnmatch
import json
import re
import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from rtmpose.hub.model_zoo import MODELS
from rtmpose.metainfo import ALIASES, DEFAULT_SETS, mmpose_config_dir, read_metainfo_file
from rtmpose.metainfo.files import METAINFO_SUBDIR, PACKAGE_SETS_DIR
from tests.paths import CONFIGS, REPO_ROOT

SHIPPED = sorted(path.stem for path in PACKAGE_SETS_DIR.glob('*.py'))
#: Hides MMPose (and the rest of the training stack) from every import finder, as in an install without it.
BLOCK_MMPOSE = '''
import sys

class Hide:
    def __init__(self, finder):
        self.finder = finder

    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('torch', 'mmengine', 'mmcv', 'mmdet', 'mmpose', 'mmdeploy'):
            return None
        return self.finder.find_spec(name, path, target)

sys.meta_path[:] = [Hide(finder) for finder in sys.meta_path]
'''


def _named_sets() -> set[str]:
    """The sets the package names: the model zoo's, the aliases' and defaults' targets, and the MMPose files that
    this repository's ``configs/_base_/datasets`` inherit."""
    inherited = {re.search(r'mmpose::_base_/datasets/(\w+)\.py', path.read_text()).group(1)
                 for path in (CONFIGS / METAINFO_SUBDIR).glob('*.py')}
    zoo = {entry.keypoints for entry in MODELS.values() if entry.keypoints}
    return zoo | set(ALIASES.values()) | set(DEFAULT_SETS.values()) | inherited


def test_the_package_ships_each_set_it_names():
    assert SHIPPED == sorted(_named_sets())


@pytest.mark.parametrize('name', SHIPPED)
def test_a_shipped_set_equals_mmpose_file(name):
    """Read by MMPose's own reader (mmengine's Config, ``parse_pose_metainfo``), the copy gives what MMPose's file
    gives, and the package's literal reader reads the copy as mmengine reads MMPose's file."""
    from mmengine.config import Config
    from mmpose.datasets.datasets.utils import parse_pose_metainfo

    mmpose_file = mmpose_config_dir() / METAINFO_SUBDIR / f'{name}.py'
    ours = parse_pose_metainfo(dict(from_file=str(PACKAGE_SETS_DIR / f'{name}.py')))
    theirs = parse_pose_metainfo(dict(from_file=str(mmpose_file)))
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(ours[key], value, err_msg=key)
        else:
            assert ours[key] == value, key
    mmengine_read = Config.fromfile(str(mmpose_file)).to_dict()['dataset_info']
    assert json.dumps(read_metainfo_file(PACKAGE_SETS_DIR / f'{name}.py')) == json.dumps(mmengine_read)


def test_the_sets_are_package_data():
    """setup.cfg's ``[options.package_data]`` lists every shipped file (relative to the ``rtmpose.metainfo``
    package)."""
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / 'setup.cfg')
    patterns = config['options.package_data']['rtmpose.metainfo'].split()
    package = PACKAGE_SETS_DIR.parent
    for path in PACKAGE_SETS_DIR.glob('*.py'):
        assert any(fnmatch.fnmatch(path.relative_to(package).as_posix(), pattern) for pattern in patterns), path


def test_the_sets_are_in_a_built_wheel(tmp_path):
    """A wheel built from a copy of the package's sources holds ``rtmpose/metainfo/sets/*.py``."""
    source = tmp_path / 'src'
    for name in ('setup.cfg', 'pyproject.toml', 'README.md'):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / name, source / name)
    shutil.copytree(REPO_ROOT / 'projects' / 'rtmpose', source / 'projects' / 'rtmpose',
                    ignore=shutil.ignore_patterns('__pycache__'))
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '--no-index', '-q',
                    '-w', str(tmp_path / 'dist'), str(source)], check=True, capture_output=True, timeout=300)
    wheel, = (tmp_path / 'dist').glob('rtmpose-*.whl')
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f'rtmpose/metainfo/sets/{name}.py' for name in SHIPPED} <= names


def test_each_set_resolves_without_mmpose():
    """With MMPose hidden, every set resolves by name and by alias from the shipped copies (through this
    repository's files that inherit ``mmpose::`` ones, or directly), and an SDK folder's config name gives its set."""
    names = [*SHIPPED, *ALIASES]
    code = BLOCK_MMPOSE + f'''
import json
from rtmpose.metainfo import load_keypoint_set
print(json.dumps({{name: [kset.name, kset.num_keypoints] for name in {names!r}
                  for kset in [load_keypoint_set(name)]}}))
'''
    done = subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    resolved = json.loads(done.stdout)
    for name in names:
        info = read_metainfo_file(mmpose_config_dir() / METAINFO_SUBDIR / f'{ALIASES.get(name, name)}.py')
        assert resolved[name] == [info['dataset_name'], len(info['keypoint_info'])], name

"""Issue 23 item 7: every command printed warnings about third-party code (pkg_resources, mmengine's FileClient,
mmdet's autocast spelling, MMPose's "Use COCO metainfo by default"). They are fixed or filtered where they are
emitted, narrowly; our own warnings and any other still show."""
import logging
import subprocess
import sys
import warnings

from mmengine.config import Config

from rtmpose.utils.known_warnings import KnownNotesFilter, ignore_known_warnings
from tests.engine.conftest import MIM
from tests.paths import CONFIGS

#: lines `mim train` printed on every run (and `mim test`, the CLI, deploy for some of them); pkg_resources' warning
#: is the setuptools pin's (last test)
NOISE = ('"FileClient" will be deprecated', '"HardDiskBackend" is the alias',
         '`torch.cuda.amp.autocast(args...)` is deprecated', 'Use COCO metainfo by default')


def test_mim_train_prints_none_of_the_known_harmless_warnings(tiny_demo_run):
    work_dir, _ = tiny_demo_run
    log = (work_dir.parent / 'straight.log').read_text()
    assert 'Epoch(train)' in log
    assert [line for line in NOISE if line in log] == []


def test_only_the_emitting_module_is_silenced():
    message = '`torch.cuda.amp.autocast(args...)` is deprecated. Please use `torch.amp.autocast(...)` instead.'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        ignore_known_warnings()
        warnings.warn_explicit(message, FutureWarning, 'se_layer.py', 158, module='mmdet.models.layers.se_layer')
        warnings.warn_explicit(message, FutureWarning, 'ours.py', 1, module='rtmpose.models.heads')
        warnings.warn_explicit('other', FutureWarning, 'se_layer.py', 1, module='mmdet.models.layers.se_layer')
    assert [(c.filename, str(c.message)[:5]) for c in caught] == [('ours.py', '`torc'), ('se_layer.py', 'other')]


def test_the_demo_config_names_its_keypoint_metainfo():
    """MMPose's init_model looked the dataset type up in MMPose's registry, did not find DemoCocoDataset and said it
    used COCO "by default"; the config names COCO-17, which is what the generator annotates."""
    from mmpose.apis.inference import dataset_meta_from_config

    cfg = Config.fromfile(str(CONFIGS / 'rtmpose-t_demo.py'))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        for mode in ('train', 'val', 'test'):
            meta = dataset_meta_from_config(cfg, mode)
            assert meta['dataset_name'] == 'coco' and meta['num_keypoints'] == 17
    assert not [c for c in caught if 'metainfo' in str(c.message)]


def test_mim_and_mmengine_import_pkg_resources_without_a_printed_warning():
    """mim and mmengine import pkg_resources before any code of ours runs: setuptools 80.9 warns with a UserWarning
    (printed), 79.0.1 (the version pinned in requirements/constraints.txt) with a DeprecationWarning, which Python
    prints only for code run as ``__main__``."""
    mim = [str(MIM), '--help']
    mmengine = [sys.executable, '-c', 'from mmengine.utils import is_installed; is_installed("mmpose")']
    for cmd in (mim, mmengine):
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and 'pkg_resources is deprecated' not in out.stderr, out.stderr


def test_only_the_known_log_notes_are_dropped():
    notes = KnownNotesFilter()
    record = logging.LogRecord('mmengine', logging.WARNING, __file__, 1, '"FileClient" will be deprecated in future. '
                               'Please use io functions', None, None)
    assert not notes.filter(record)
    record.msg = 'rtmpose: "FileClient" will be deprecated in future'  # ours, or anything else, stays
    assert notes.filter(record)

"""TrustedCheckpointHook: a run of our demo config loads its checkpoints (load_from, resume, init_cfg pretrained)
under torch >= 2.6, and mmengine's loaders are its own again before the loop and after the run."""
import argparse
import pickle
import shutil

import pytest
from mmengine.config import Config, DictAction
from mmengine.runner import Runner
from mmengine.runner.checkpoint import CheckpointLoader

from rtmpose.engine import TrustedCheckpointHook
from tests.engine.conftest import DEMO_CONFIG, tiny_demo_options

HOOK = dict(type='TrustedCheckpointHook')


def loaders() -> list:
    return list(CheckpointLoader._schemes.items())


def demo_cfg(work_dir, data_root, with_hook: bool = True, **options) -> Config:
    """The demo config as ``mim train`` runs it with the ``--cfg-options`` of :func:`tiny_demo_options`, one epoch,
    testing on the val split; ``custom_hooks`` with exactly one ``TrustedCheckpointHook`` or, ``with_hook=False``,
    none."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.merge_from_dict(parser.parse_args(['--cfg-options', *tiny_demo_options(data_root)]).cfg_options)
    cfg.merge_from_dict({'work_dir': str(work_dir), 'train_cfg.max_epochs': 1, **options})
    hooks = [hook for hook in cfg.custom_hooks if hook['type'] != HOOK['type']]
    cfg.custom_hooks = [HOOK, *hooks] if with_hook else hooks
    cfg.test_dataloader = cfg.val_dataloader
    cfg.test_evaluator = cfg.val_evaluator
    return cfg


@pytest.fixture(scope='module')
def one_epoch(tmp_path_factory):
    """(work_dir, data_root) of a one-epoch run of the demo config, with epoch_1.pth."""
    root = tmp_path_factory.mktemp('trusted')
    work_dir, data_root = root / 'one_epoch', root / 'demo'
    Runner.from_cfg(demo_cfg(work_dir, data_root)).train()
    return work_dir, data_root


def test_trusted_from_before_run_until_the_loop_starts():
    before = loaders()
    hook = TrustedCheckpointHook()
    for start in (hook.before_train, hook.before_val, hook.before_test, hook.after_run):
        hook.before_run(None)
        assert loaders() != before
        start(None)
        assert loaders() == before


def test_two_hooks_in_one_run_restore_mmengines_loaders():
    before = loaders()
    first, second = TrustedCheckpointHook(), TrustedCheckpointHook()
    first.before_run(None)
    second.before_run(None)
    first.before_train(None)
    assert loaders() != before
    second.before_train(None)
    assert loaders() == before


@pytest.mark.slow
def test_test_run_loads_its_checkpoint(one_epoch, tmp_path):
    work_dir, data_root = one_epoch
    before = loaders()
    cfg = demo_cfg(tmp_path / 'test', data_root, load_from=str(work_dir / 'epoch_1.pth'))
    metrics = Runner.from_cfg(cfg).test()
    assert 0 <= metrics['coco/AP'] <= 1
    assert loaders() == before


@pytest.mark.slow
def test_without_the_hook_torch_refuses_the_checkpoint(one_epoch, tmp_path):
    work_dir, data_root = one_epoch
    cfg = demo_cfg(tmp_path / 'test', data_root, with_hook=False, load_from=str(work_dir / 'epoch_1.pth'))
    with pytest.raises(pickle.UnpicklingError, match='weights_only'):
        Runner.from_cfg(cfg).test()


@pytest.mark.slow
def test_resume_with_pretrained_init_cfg(one_epoch, tmp_path):
    work_dir, data_root = one_epoch
    resumed = tmp_path / 'resumed'
    shutil.copytree(work_dir, resumed)
    before = loaders()
    pretrained = dict(type='Pretrained', prefix='backbone.', checkpoint=str(work_dir / 'epoch_1.pth'))
    cfg = demo_cfg(resumed, data_root, resume=True, **{'train_cfg.max_epochs': 2})
    cfg.model.backbone.init_cfg = pretrained
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.epoch == 2 and (resumed / 'epoch_2.pth').is_file()
    assert loaders() == before

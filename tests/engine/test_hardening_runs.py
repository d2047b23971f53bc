"""Issue 16: a training run killed or diverging loses nothing, `--resume` finds what there is, and a checkpoint that
does not fit (or is not a checkpoint) is an error, with the hooks our COCO configs use on a toy model (seconds)."""
import itertools
import os
import shutil
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import DataLoader

from rtmpose.engine import DivergedError, KeypointCountHook
from rtmpose.utils.checkpoint_fit import CheckpointFileError, CheckpointMismatchError
from rtmpose.utils.data_scan import DataError
from tests.paths import CONFIGS

BASE = Config.fromfile(str(CONFIGS / '_base_' / 'rtmpose_coco.py'))
RUNS = itertools.count()


class Killed(BaseException):
    """Stands for SIGKILL in the middle of a checkpoint write."""


class ToyModel(BaseModel):
    def __init__(self, width: int = 4) -> None:
        super().__init__()
        self.linear = nn.Linear(2, width)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(inputs).sum(1, keepdim=True)
        return {'loss': ((out - data_samples) ** 2).mean()} if mode == 'loss' else out


def toy_data(nan_from: int | None = None) -> DataLoader:
    items = [dict(inputs=torch.full((2, ), float(i)), data_samples=torch.ones(1)) for i in range(4)]
    if nan_from is not None:
        for item in items[nan_from:]:
            item['inputs'] = torch.full((2, ), float('nan'))
    return DataLoader(items, batch_size=2)


def toy_runner(work_dir, max_epochs=3, resume=False, load_from=None, nan_from=None, width=4) -> Runner:
    """A runner with the checkpoint hook and the custom hooks of configs/_base_/rtmpose_coco.py (without the
    validation-only and COCO-only parts)."""
    checkpoint = dict(BASE.default_hooks.checkpoint, save_best=None, interval=1)
    used = ('TrustedCheckpointHook', 'CheckpointCheckHook', 'FiniteCheckHook')
    custom = [h for h in BASE.custom_hooks if h['type'] in used]
    return Runner(model=ToyModel(width), work_dir=str(work_dir), train_dataloader=toy_data(nan_from),
                  optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
                  train_cfg=dict(by_epoch=True, max_epochs=max_epochs), default_scope='rtmpose',
                  default_hooks=dict(checkpoint=checkpoint, logger=dict(type='LoggerHook', interval=1)),
                  custom_hooks=custom, resume=resume, load_from=load_from, experiment_name=f'hardening{next(RUNS)}',
                  randomness=dict(seed=0))


def kill_during_save(runner: Runner, filename: str) -> None:
    """Make ``runner`` die while writing ``filename``, leaving the ``.part`` file a killed write leaves."""
    save = runner.save_checkpoint

    def dying_save(out_dir, name, *args, **kwargs):
        if name == filename:
            with open(os.path.join(out_dir, f'.{name}.abc.part'), 'wb') as partial:
                partial.write(b'half a checkpoint')
            raise Killed
        return save(out_dir, name, *args, **kwargs)

    runner.save_checkpoint = dying_save


def test_kill_during_save_keeps_the_previous_checkpoint_and_resume_continues(tmp_path):
    runner = toy_runner(tmp_path)
    kill_during_save(runner, 'epoch_2.pth')
    with pytest.raises(Killed):
        runner.train()
    # max_keep_ckpts=1: mmengine removed epoch_1.pth before writing epoch_2.pth
    assert (tmp_path / 'epoch_1.pth').is_file()
    assert (tmp_path / 'last_checkpoint').read_text().endswith('epoch_1.pth')

    resumed = toy_runner(tmp_path, resume=True)
    resumed.train()
    assert resumed.epoch == 3
    assert sorted(p.name for p in tmp_path.glob('*.pth')) == ['epoch_3.pth']
    assert not list(tmp_path.glob('.*.part')), 'the stale partial file was not cleaned'


def test_copied_work_dir_resumes_from_its_own_checkpoint(tmp_path):
    original, copy = tmp_path / 'original', tmp_path / 'copy'
    toy_runner(original, max_epochs=2).train()
    shutil.copytree(original, copy)
    shutil.rmtree(original)  # last_checkpoint in the copy still names original/epoch_2.pth
    resumed = toy_runner(copy, max_epochs=3, resume=True)
    resumed.train()
    assert resumed.epoch == 3 and (copy / 'epoch_3.pth').is_file()


def test_resume_with_nothing_left_to_train_is_an_error(tmp_path):
    toy_runner(tmp_path, max_epochs=2).train()
    with pytest.raises(RuntimeError, match='nothing would be trained.*max_epochs'):
        toy_runner(tmp_path, max_epochs=2, resume=True).train()


def test_diverged_training_stops_and_keeps_the_good_checkpoint(tmp_path):
    toy_runner(tmp_path, max_epochs=1).train()
    with pytest.raises(DivergedError, match=r'loss is nan at epoch 2, iteration 3.*Lower the learning rate'):
        toy_runner(tmp_path, max_epochs=2, resume=True, nan_from=0).train()
    assert sorted(p.name for p in tmp_path.glob('*.pth')) == ['epoch_1.pth']
    kept = torch.load(tmp_path / 'epoch_1.pth', weights_only=False)['state_dict']
    assert all(torch.isfinite(t).all() for t in kept.values())


def test_non_finite_weights_are_never_saved(tmp_path):
    runner = toy_runner(tmp_path)
    [guard] = [hook for hook in runner.hooks if type(hook).__name__ == 'FiniteCheckHook']
    state = {'linear.weight': torch.tensor([[1.0, float('inf')]]), 'linear.bias': torch.zeros(1)}
    with pytest.raises(DivergedError, match='weights linear.weight hold NaN or infinite values'):
        guard.before_save_checkpoint(runner, {'state_dict': state})
    guard.before_save_checkpoint(runner, {'state_dict': {'linear.bias': torch.zeros(1)}})


def test_checkpoint_of_another_model_is_an_error_naming_it(tmp_path):
    toy_runner(tmp_path / 'wide', max_epochs=1, width=8).train()
    other = str(tmp_path / 'wide' / 'epoch_1.pth')
    runner = toy_runner(tmp_path / 'test', load_from=other)
    runner.call_hook('before_run')
    with pytest.raises(CheckpointMismatchError, match=r'linear.weight: \(8, 2\) in the checkpoint, \(4, 2\)'):
        runner.load_checkpoint(other)  # as `mim test` does


@pytest.mark.parametrize('content, message', [(b'', 'empty'), (b'<!DOCTYPE html><html>', 'HTML')])
def test_empty_or_html_checkpoint_is_named(tmp_path, content, message):
    path = tmp_path / 'model.pth'
    path.write_bytes(content)
    runner = toy_runner(tmp_path / 'run', load_from=str(path))
    with pytest.raises(CheckpointFileError, match=f'{path}.*{message}'):
        runner.call_hook('before_run')


def test_dataset_of_another_keypoint_count_stops_before_the_first_batch():
    assert any(h['type'] == 'KeypointCountHook' for h in BASE.custom_hooks)
    runner = SimpleNamespace(model=SimpleNamespace(head=SimpleNamespace(out_channels=17)),
                             train_dataloader=SimpleNamespace(dataset=SimpleNamespace(metainfo={'num_keypoints': 21})))
    with pytest.raises(DataError, match=r'has 21 keypoints, the model predicts 17 \(model.head.out_channels\)'):
        KeypointCountHook().before_train(runner)
    runner.train_dataloader.dataset.metainfo['num_keypoints'] = 17
    KeypointCountHook().before_train(runner)

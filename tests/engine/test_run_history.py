"""Issue 23 item 19: a resumed run's curve picture starts with the history before the resume, and ``--resume`` passes
over a newest checkpoint that is cut short, continuing from the one before it (toy model, seconds)."""
import json
import time

import pytest
from mmengine.runner import Runner

from rtmpose.engine.hooks.training_curve_hook import training_history
from rtmpose.utils.checkpoint_fit import CheckpointFileError, check_checkpoint_file
from tests.engine.test_hardening_runs import BASE, ToyModel, toy_data


def toy_runner(work_dir, max_epochs: int, resume: bool = False) -> Runner:
    """2 iterations per epoch, every one logged, a checkpoint per epoch (the last 2 kept), the curve picture."""
    checkpoint = dict(BASE.default_hooks.checkpoint, save_best=None, interval=1, max_keep_ckpts=2)
    return Runner(model=ToyModel(), work_dir=str(work_dir), train_dataloader=toy_data(),
                  optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
                  train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
                  default_scope='rtmpose', resume=resume, randomness=dict(seed=0), experiment_name=f'h{time.time()}',
                  default_hooks=dict(checkpoint=checkpoint, logger=dict(type='LoggerHook', interval=1)),
                  custom_hooks=[dict(type='TrustedCheckpointHook'), dict(type='TrainingCurveHook', metric='toy/AP')])


def test_resumed_run_plots_the_history_before_the_resume(tmp_path):
    toy_runner(tmp_path, max_epochs=2).train()
    time.sleep(1.1)  # the resumed run logs into a folder of its own (named after the second it started)
    resumed = toy_runner(tmp_path, max_epochs=3, resume=True)
    resumed.train()
    scalars = sorted(tmp_path.glob('*/vis_data/scalars.json'))
    assert len(scalars) == 2
    # a validation record before the resume and one after, as the metric's history
    with open(scalars[0], 'a') as f:
        f.write(json.dumps({'toy/AP': 0.25, 'step': 1}) + '\n')
    with open(scalars[1], 'a') as f:
        f.write(json.dumps({'toy/AP': 0.5, 'step': 3}) + '\n')
    tested = scalars[0].parent.parent.with_name(scalars[0].parent.parent.name + '_test') / 'vis_data'
    tested.mkdir(parents=True)  # a `mim test` into the work dir between the two: no training records
    (tested / 'scalars.json').write_text(json.dumps({'toy/AP': 0.9, 'step': 2}) + '\n')
    loss, metric = training_history(str(tmp_path), resumed.log_dir, 'toy/AP', resumed=True)
    assert [it for it, _ in loss] == [1, 2, 3, 4, 5, 6]
    assert metric == [(1, 0.25), (3, 0.5)]
    assert training_history(str(tmp_path), resumed.log_dir, 'toy/AP', resumed=False)[0][0][0] == 5
    assert (tmp_path / 'training_curves.png').stat().st_size > 1000


def test_resume_passes_over_a_cut_newest_checkpoint(tmp_path):
    toy_runner(tmp_path, max_epochs=2).train()
    newest = tmp_path / 'epoch_2.pth'
    newest.write_bytes(newest.read_bytes()[:newest.stat().st_size // 2])  # a copy or a full disk cut it short
    with pytest.raises(CheckpointFileError, match='epoch_2.pth is not a PyTorch checkpoint: it is cut short'):
        check_checkpoint_file(str(newest))
    resumed = toy_runner(tmp_path, max_epochs=3, resume=True)
    resumed.train()
    log = next(tmp_path.glob('*/*.log'), None)
    text = ''.join(p.read_text() for p in tmp_path.glob('*/*.log'))
    assert log is not None and 'it is cut short' in text and 'Resuming from the checkpoint before it' in text
    assert 'epoch_1.pth' in text
    assert resumed.epoch == 3
    assert sorted(p.name for p in tmp_path.glob('epoch_*.pth')) == ['epoch_2.pth', 'epoch_3.pth']
    check_checkpoint_file(str(tmp_path / 'epoch_2.pth'))  # written again, complete

"""ErrorReportHook: an input error ends the output with its message and no traceback; other errors keep theirs."""
import os
import subprocess
import sys

import pytest
from mmengine.runner import Runner

from rtmpose.engine.hooks import ErrorReportHook
from rtmpose.utils.data_scan import DataError

SCRIPT = '''
import sys
from rtmpose.engine.hooks import ErrorReportHook
from rtmpose.utils.data_scan import DataError
ErrorReportHook()
ErrorReportHook()  # built twice (train and test hooks): reported once
raise {error}('train.json: keypoint 3 of instance 7 is NaN; fix or drop it')
'''


def run_script(error: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', SCRIPT.format(error=error)], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_input_error_is_the_last_line_without_traceback():
    result = run_script('DataError')
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert 'Traceback' not in output
    assert output.count('rtmpose: the run stopped (DataError)') == 1
    assert output.rstrip().splitlines()[-1] == 'train.json: keypoint 3 of instance 7 is NaN; fix or drop it'


@pytest.mark.parametrize('error, env', [('RuntimeError', {}), ('DataError', {'RTMPOSE_TRACEBACK': '1'})])
def test_other_errors_and_the_debug_switch_keep_the_traceback(error, env):
    result = run_script(error, **env)
    assert result.returncode == 1
    assert 'Traceback (most recent call last)' in result.stderr
    assert 'rtmpose: the run stopped' not in result.stdout + result.stderr


def test_the_replaced_excepthook_is_put_back_when_the_run_ends(tmp_path):
    """Issue 20: the hook replaced ``sys.excepthook`` for the rest of the process; a finished run puts it back."""
    from tests.engine.test_hardening_runs import ToyModel, toy_data

    before = sys.excepthook
    runner = Runner(model=ToyModel(), work_dir=str(tmp_path), train_dataloader=toy_data(),
                    optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
                    train_cfg=dict(by_epoch=True, max_epochs=1), default_scope='rtmpose',
                    custom_hooks=[dict(type='ErrorReportHook')], experiment_name='error_report_restore')
    assert sys.excepthook is not before and sys.excepthook.previous is before
    runner.train()
    assert sys.excepthook is before


def test_the_excepthook_is_put_back_once_the_report_is_given():
    before = sys.excepthook
    ErrorReportHook()
    ErrorReportHook()  # a second hook of the same run does not stack a second report
    assert sys.excepthook.previous is before
    sys.excepthook(DataError, DataError('train.json is empty'), None)
    assert sys.excepthook is before

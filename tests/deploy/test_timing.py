"""Interleaved timing: every callable runs once per round in a rotating order, and ratios are taken per round."""
import time

import pytest

from rtmpose.deploy.timing import interleaved_times, paired_ratio
from tests.deploy.conftest import run_without_mmdeploy


def test_rounds_rotate_and_time_each_callable():
    calls = []
    runs = {name: (lambda n=name: calls.append(n)) for name in 'abc'}
    times = interleaved_times(runs, rounds=3, warmup=1)
    assert calls[:3] == ['a', 'b', 'c']  # warm-up round
    assert calls[3:] == ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']
    assert {k: len(v) for k, v in times.items()} == {'a': 3, 'b': 3, 'c': 3}
    assert all(t >= 0 for v in times.values() for t in v)


def test_min_seconds_adds_rounds():
    times = interleaved_times({'sleep': lambda: time.sleep(0.002)}, rounds=2, warmup=2, min_seconds=0.05)
    assert len(times['sleep']) > 2  # more than asked: the warm-up rounds took ~2 ms each
    assert sum(times['sleep']) >= 0.5 * 50  # about min_seconds in all (ms)
    assert min(times['sleep']) >= 2.0


def test_paired_ratio_is_the_median_of_round_ratios():
    assert paired_ratio([2.0, 4.0, 9.0], [1.0, 1.0, 3.0]) == pytest.approx(3.0)
    # a slow round for both sides does not move the ratio
    assert paired_ratio([2.0, 20.0, 2.0], [1.0, 10.0, 1.0]) == pytest.approx(2.0)


def test_the_block_works():
    """The check below means something: with the finder installed, mmdeploy does not import."""
    run = run_without_mmdeploy('''
        try:
            import mmdeploy.apis
        except ImportError as err:
            print('blocked:', err)
    ''')
    assert run.returncode == 0 and 'blocked: mmdeploy' in run.stdout, run.stderr[-2000:]


def test_timing_and_int8_import_without_mmdeploy():
    run = run_without_mmdeploy('''
        import rtmpose.deploy.timing, rtmpose.deploy.ort_int8
        assert not [name for name in sys.modules if name.split('.')[0] == 'mmdeploy']
    ''')
    assert run.returncode == 0, run.stderr[-2000:]

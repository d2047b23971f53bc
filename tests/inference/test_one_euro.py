"""One-Euro filter: less jitter when still, follows a step quickly."""
import numpy as np
import pytest

from rtmpose.inference.one_euro import OneEuroFilter


def _run(filt, signal, times=None):
    return np.stack([filt(x, None if times is None else t) for x, t in
                     zip(signal, times if times is not None else [None] * len(signal))])


def test_reduces_jitter_and_follows_a_step():
    rng = np.random.default_rng(0)
    fps, n = 30.0, 120
    truth = np.zeros((n, 17, 2))
    truth[:, :, 0] = 100.0
    truth[60:, :, 0] = 200.0  # a 100 px jump at frame 60
    truth[:, :, 1] = 50.0
    noisy = truth + rng.normal(scale=2.0, size=truth.shape)
    out = _run(OneEuroFilter(min_cutoff=1.0, beta=0.05, d_cutoff=1.0, fps=fps), noisy)
    assert out.shape == noisy.shape
    still = slice(20, 60)
    jitter_in = np.abs(np.diff(noisy[still], axis=0)).mean()
    jitter_out = np.abs(np.diff(out[still], axis=0)).mean()
    assert jitter_out < 0.5 * jitter_in
    assert np.abs(out[still] - truth[still]).mean() < np.abs(noisy[still] - truth[still]).mean()
    # after the step: within 5 px of the new position after 5 frames
    assert np.abs(out[65:90, :, 0] - 200.0).max() < 5.0
    jitter_after = np.abs(np.diff(out[90:], axis=0)).mean()
    assert jitter_after < 0.5 * np.abs(np.diff(noisy[90:], axis=0)).mean()


def test_time_stamps_equal_fps_and_reset():
    rng = np.random.default_rng(1)
    signal = rng.normal(size=(20, 3, 2)).cumsum(axis=0)
    by_fps = _run(OneEuroFilter(fps=25.0), signal)
    by_time = _run(OneEuroFilter(fps=99.0), signal, times=np.arange(20) / 25.0 + 3.0)
    np.testing.assert_allclose(by_fps, by_time, atol=1e-9)
    filt = OneEuroFilter()
    np.testing.assert_array_equal(filt(signal[0]), signal[0])  # first sample passes through
    filt(signal[1])
    np.testing.assert_array_equal(filt(np.ones((5, 2))), np.ones((5, 2)))  # new shape -> reset
    filt.reset()
    np.testing.assert_array_equal(filt(signal[3]), signal[3])
    # a non-finite sample does not poison the state
    bad = signal[4].copy()
    bad[0, 0] = np.nan
    held = filt(bad)
    assert np.isfinite(held).all() and np.isfinite(filt(signal[5])).all()
    first_nan = OneEuroFilter()
    first_nan(bad)
    assert np.isfinite(first_nan(signal[5])).all()


def test_beta_zero_is_a_plain_low_pass_and_bad_args():
    filt = OneEuroFilter(min_cutoff=1.0, beta=0.0, fps=30.0)
    filt(np.zeros(1))
    rate = 2 * np.pi * 1.0 / 30.0
    assert filt(np.ones(1))[0] == pytest.approx(rate / (rate + 1))
    with pytest.raises(ValueError):
        OneEuroFilter(min_cutoff=0.0)

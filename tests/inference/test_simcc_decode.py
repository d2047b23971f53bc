"""Vectorised SimCC decoding against a per-keypoint loop."""
import numpy as np
import pytest

from rtmpose.codecs.simcc_decode import simcc_decode


def _naive(simcc_x, simcc_y, ratio):
    n, k, _ = simcc_x.shape
    kpts = np.zeros((n, k, 2))
    scores = np.zeros((n, k))
    for i in range(n):
        for j in range(k):
            x, y = int(np.argmax(simcc_x[i, j])), int(np.argmax(simcc_y[i, j]))
            score = min(simcc_x[i, j, x], simcc_y[i, j, y])
            if score <= 0:
                x = y = -1
            kpts[i, j] = (x / ratio, y / ratio)
            scores[i, j] = score
    return kpts, scores


def test_decode_matches_naive_loop():
    rng = np.random.default_rng(0)
    simcc_x = rng.normal(size=(5, 17, 384)).astype(np.float32)
    simcc_y = rng.normal(size=(5, 17, 512)).astype(np.float32)
    simcc_x[0, 3] -= 10.0  # all-negative rows -> score <= 0 -> location -1
    simcc_y[2, 5] = -1.0
    kpts, scores = simcc_decode(simcc_x, simcc_y, 2.0)
    ref_kpts, ref_scores = _naive(simcc_x, simcc_y, 2.0)
    assert kpts.shape == (5, 17, 2) and scores.shape == (5, 17)
    assert kpts.dtype == scores.dtype == np.float32
    np.testing.assert_array_equal(kpts, ref_kpts.astype(np.float32))
    np.testing.assert_allclose(scores, ref_scores)
    np.testing.assert_array_equal(kpts[0, 3], [-0.5, -0.5])


def test_decode_known_peaks_and_errors():
    simcc_x = np.zeros((1, 2, 20), np.float32)
    simcc_y = np.zeros((1, 2, 30), np.float32)
    simcc_x[0, 0, 7], simcc_y[0, 0, 11] = 0.8, 0.6
    simcc_x[0, 1, 3], simcc_y[0, 1, 29] = 0.5, 0.9
    kpts, scores = simcc_decode(simcc_x, simcc_y, simcc_split_ratio=2.0)
    np.testing.assert_allclose(kpts[0], [[3.5, 5.5], [1.5, 14.5]])
    np.testing.assert_allclose(scores[0], [0.6, 0.5])
    empty_k, empty_s = simcc_decode(np.zeros((0, 17, 384)), np.zeros((0, 17, 512)))
    assert empty_k.shape == (0, 17, 2) and empty_s.shape == (0, 17)
    with pytest.raises(ValueError):
        simcc_decode(np.zeros((2, 17, 384)), np.zeros((3, 17, 512)))
    with pytest.raises(ValueError):
        simcc_decode(np.zeros((17, 384)), np.zeros((17, 512)))

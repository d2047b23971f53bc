"""Turning caller frames into contiguous BGR uint8."""
import numpy as np
import pytest

from rtmpose.inference.frames import ensure_bgr


def test_conversions():
    bgr = np.random.default_rng(0).integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
    assert ensure_bgr(bgr) is bgr
    np.testing.assert_array_equal(ensure_bgr(bgr[:, ::-1]), bgr[:, ::-1])
    assert ensure_bgr(bgr[:, ::-1]).flags['C_CONTIGUOUS']
    gray = bgr[..., 0]
    for frame in (gray, gray[..., None]):
        out = ensure_bgr(frame)
        assert out.shape == (4, 5, 3) and (out == gray[..., None]).all()
    bgra = np.concatenate([bgr, np.full((4, 5, 1), 7, np.uint8)], axis=2)
    np.testing.assert_array_equal(ensure_bgr(bgra), bgr)
    np.testing.assert_array_equal(ensure_bgr(bgr.astype(np.float32) / 255.0), bgr)
    np.testing.assert_array_equal(ensure_bgr(bgr.astype(np.int16) * 2), np.clip(bgr.astype(int) * 2, 0, 255))
    assert ensure_bgr(np.zeros((0, 7, 3), np.uint8)).shape == (0, 7, 3)
    assert ensure_bgr(np.ones((2, 2), bool)).max() == 255


def test_rejects_bad_frames():
    with pytest.raises(ValueError, match='None'):
        ensure_bgr(None)
    with pytest.raises(TypeError):
        ensure_bgr([[0, 0, 0]])
    for shape in ((4, 4, 2), (4,), (2, 4, 4, 3)):
        with pytest.raises(ValueError, match='shape'):
            ensure_bgr(np.zeros(shape, np.uint8))

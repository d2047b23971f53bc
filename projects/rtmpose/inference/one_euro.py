"""One-Euro filter (Casiez, Roussel and Vogel, CHI 2012), vectorised over arrays such as keypoints ``(K, 2)``.

Each element is an independent 1-D signal sharing the time stamps::

    alpha(fc, dt) = r / (r + 1),  r = 2 pi fc dt
    dx_hat = lerp(dx_hat_prev, (x - x_hat_prev) / dt, alpha(d_cutoff, dt))
    fc     = min_cutoff + beta * |dx_hat|
    x_hat  = lerp(x_hat_prev, x, alpha(fc, dt))

Units: time in seconds, ``min_cutoff``/``d_cutoff`` in Hz, ``beta`` in 1 / (signal unit) - for keypoints in
pixels, ``beta = 0.05`` raises the cutoff by 5 Hz per 100 px/s of speed.
"""
from __future__ import annotations

import math

import numpy as np


def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
    rate = 2.0 * math.pi * cutoff * dt
    return rate / (rate + 1.0)


class OneEuroFilter:
    """Stateful One-Euro filter for one track.

    Args:
        min_cutoff: cutoff frequency (Hz) at zero speed; lower = smoother and laggier when still.
        beta: speed coefficient; higher = less lag when moving.
        d_cutoff: cutoff (Hz) of the low-pass filter on the derivative.
        fps: frame rate used to advance time when :meth:`__call__` gets no time stamp.

    Call it with successive arrays of one shape (e.g. ``(K, 2)``); a different shape resets the state.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.05, d_cutoff: float = 1.0, fps: float = 30.0):
        if min_cutoff <= 0 or d_cutoff <= 0 or beta < 0 or fps <= 0:
            raise ValueError(f'need min_cutoff > 0, d_cutoff > 0, beta >= 0, fps > 0; got {min_cutoff}, '
                             f'{d_cutoff}, {beta}, {fps}')
        self.min_cutoff = float(min_cutoff)
        self.beta = float(beta)
        self.d_cutoff = float(d_cutoff)
        self.fps = float(fps)
        self.reset()

    def reset(self) -> None:
        """Forget the history; the next sample passes through unchanged."""
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    def __call__(self, x: np.ndarray, t: float | None = None) -> np.ndarray:
        """Filter sample ``x`` (any shape, float) taken at time ``t`` seconds (default: previous + 1 / fps).

        Returns the filtered array (float64, same shape). Non-increasing time stamps are treated as one frame
        apart. Where a sample is non-finite the previous estimate is held; an element whose estimate is undefined
        (never seen a finite value) restarts from the next finite sample.
        """
        x = np.asarray(x, dtype=np.float64)
        if self._x is None or self._x.shape != x.shape:
            self._x, self._dx = x.copy(), np.zeros_like(x)
            self._t = 1.0 / self.fps if t is None else float(t)
            return x.copy()
        dt = 1.0 / self.fps if t is None else float(t) - self._t
        if not dt > 0:
            dt = 1.0 / self.fps
        self._t = self._t + dt
        dx = (x - self._x) / dt
        dx_hat = self._dx + _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self.beta * np.abs(dx_hat)
        x_hat = self._x + _alpha(cutoff, dt) * (x - self._x)
        if not np.isfinite(x_hat).all():
            missing = ~np.isfinite(x)  # hold the last estimate where the sample is missing
            x_hat = np.where(missing, self._x, x_hat)
            dx_hat = np.where(missing, self._dx, dx_hat)
            fresh = ~np.isfinite(self._x) & ~missing  # restart where the state itself is undefined
            x_hat = np.where(fresh, x, x_hat)
            dx_hat = np.where(fresh, 0.0, dx_hat)
        self._x, self._dx = x_hat, dx_hat
        return x_hat.copy()

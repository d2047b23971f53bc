"""A random-weight RTMPose whose keypoints can be followed: the one "trackable keypoints" trick of the tests.

A randomly initialised RTMPose puts its keypoints anywhere in the crop, so poses cannot be tracked from frame to
frame. :class:`PeakedSimCCNet` gives every crop one Gaussian peak (``sigma`` bins, height 1) per keypoint at
:data:`PEAK_LAYOUT`, plus the real head's output scaled to a standard deviation of ``noise``: the whole RTMPose
graph still runs (same cost), the argmax moves by a few bins with the image content (jitter), and the keypoint
scores are about 1. Models of another keypoint count ``K`` get their peaks on a grid (:func:`layout_fractions`).
The layout spans 10 %..90 % of the crop on both axes, so the box around the keypoints times the
usual 1.25 crop padding is the crop again (boxes propagated from poses stay put).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

#: ``(x, y)`` of the 17 COCO keypoints as fractions of the crop (a standing person).
PEAK_LAYOUT = ((.5, .12), (.55, .1), (.45, .1), (.6, .12), (.4, .12), (.68, .28), (.32, .28), (.8, .42), (.2, .42),
               (.9, .55), (.1, .55), (.62, .55), (.38, .55), (.62, .73), (.38, .73), (.62, .9), (.38, .9))


def layout_fractions(num_keypoints: int = 17) -> np.ndarray:
    """``(K, 2)`` peak positions as fractions of the crop: :data:`PEAK_LAYOUT` for 17, else the first ``K`` cells
    of an ``n x n`` grid over 10 %..90 % (``n = ceil(sqrt(K))``, row by row)."""
    if num_keypoints == len(PEAK_LAYOUT):
        return np.asarray(PEAK_LAYOUT, dtype=np.float64)
    n = int(np.ceil(np.sqrt(num_keypoints)))
    ticks = np.linspace(0.1, 0.9, max(n, 2))
    grid = np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2)
    return grid[:num_keypoints]


def layout_pixels(input_size: tuple[int, int] = (192, 256), num_keypoints: int = 17) -> np.ndarray:
    """``(K, 2)`` keypoints in input pixels that a :class:`PeakedSimCCNet` outputs up to its jitter."""
    return layout_fractions(num_keypoints) * np.asarray(input_size, dtype=np.float64)


def _peaks(centers: np.ndarray, bins: int, ratio: float, sigma: float) -> torch.Tensor:
    grid = np.arange(bins, dtype=np.float64)
    mu = np.rint(centers * ratio)[:, None]
    return torch.from_numpy(np.exp(-(grid - mu) ** 2 / (2 * sigma ** 2)).astype(np.float32))


class PeakedSimCCNet(nn.Module):
    """``forward(inputs (B, 3, h, w)) -> (simcc_x, simcc_y)``: peaks at :data:`PEAK_LAYOUT` plus ``noise`` x the
    standardised output of ``pose_model``'s head.

    Args:
        pose_model: an MMPose top-down RTMPose (``extract_feat``, ``head`` with a SimCC ``decoder``).
        calib_inputs: ``(N, 3, h, w)`` crops on which the head's standard deviation is measured (default: 4 random
            normal inputs).
        noise: standard deviation of the image-dependent part.
        sigma: peak width in bins.
    """

    def __init__(self, pose_model: nn.Module, calib_inputs: Any = None, noise: float = 0.1,
                 sigma: float = 6.0) -> None:
        super().__init__()
        self.model = pose_model
        width, height = pose_model.head.decoder.input_size
        ratio = float(pose_model.head.decoder.simcc_split_ratio)
        layout = layout_pixels((width, height), int(pose_model.head.out_channels))
        self.register_buffer('peak_x', _peaks(layout[:, 0], int(width * ratio), ratio, sigma))
        self.register_buffer('peak_y', _peaks(layout[:, 1], int(height * ratio), ratio, sigma))
        with torch.no_grad():
            calib = torch.randn(4, 3, height, width) if calib_inputs is None else torch.as_tensor(calib_inputs)
            raw_x, raw_y = pose_model.head(pose_model.extract_feat(calib.float()))
            spread = float(torch.cat([raw_x.flatten(), raw_y.flatten()]).std())
        self.scale = float(noise) / max(spread, 1e-6)

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        simcc_x, simcc_y = self.model.head(self.model.extract_feat(inputs))
        return simcc_x * self.scale + self.peak_x, simcc_y * self.scale + self.peak_y

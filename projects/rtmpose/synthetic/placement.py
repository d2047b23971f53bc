"""Where a figure stands in the image: scale, in-plane rotation and offset, drawn so that figures stand apart."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_OVERLAP = 0.3  # of the smaller box, between two figures' boxes (redrawn placements)


@dataclass(frozen=True)
class Placement:
    """Body units -> image pixels: ``xy_image = R(angle) @ (x, -y) * scale + offset``."""

    scale: float
    angle: float
    offset: np.ndarray

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Project ``(..., 3)`` camera-frame points to ``(..., 2)`` image pixels (x right, y down)."""
        c, s = np.cos(self.angle), np.sin(self.angle)
        x, y = points[..., 0] * self.scale, -points[..., 1] * self.scale
        return np.stack([c * x - s * y, s * x + c * y], axis=-1) + self.offset


def sample_placement(rng: np.random.Generator, extent: np.ndarray, width: int, height: int,
                     num_persons: int) -> Placement:
    """Scale (40-90 % of the image height for a standing figure), in-plane angle, and an offset that keeps the
    figure inside the image or, for about one in ten, lets part of it leave across a border.

    ``extent``: ``(N, 3)`` body points (camera frame) whose projection bounds the figure.
    """
    top = 0.9 if num_persons == 1 else 0.75
    scale = height * float(np.exp(rng.uniform(np.log(0.4), np.log(top))))
    if rng.random() < 0.01:
        angle = np.deg2rad(rng.uniform(135, 225))
    else:
        angle = np.deg2rad(float(np.clip(rng.normal(0, 18), -45, 45)))
    points = Placement(scale, angle, np.zeros(2)).apply(extent)
    low, high = points.min(0), points.max(0)
    size = high - low
    image = np.array([width, height], np.float64)
    centre = np.array([rng.uniform(min(s / 2, i / 2), max(i - s / 2, i / 2)) for s, i in zip(size, image)])
    if rng.random() < 0.1:
        axis = int(rng.integers(2))
        outside = rng.uniform(0.15, 0.6) * size[axis]
        centre[axis] = (size[axis] / 2 - outside) if rng.random() < 0.5 else (image[axis] - size[axis] / 2 + outside)
    return Placement(scale, angle, centre - (low + high) / 2)


def bounding_box(points: np.ndarray) -> np.ndarray:
    """``(4,)`` x0, y0, x1, y1 of ``(N, 2)`` points."""
    return np.concatenate([points.min(0), points.max(0)])


def box_overlap(box: np.ndarray, others: list[np.ndarray]) -> float:
    """Largest share of the smaller box that ``box`` ``(4,)`` x0, y0, x1, y1 has in common with one of ``others``
    (0 when none)."""
    worst = 0.0
    for other in others:
        w, h = np.minimum(box[2:], other[2:]) - np.maximum(box[:2], other[:2])
        if w > 0 and h > 0:
            smaller = min(np.prod(box[2:] - box[:2]), np.prod(other[2:] - other[:2]))
            worst = max(worst, float(w * h / max(smaller, 1e-6)))
    return worst


def place_apart(rng: np.random.Generator, extent: np.ndarray, width: int, height: int, num_persons: int,
                others: list[np.ndarray], max_overlap: float = MAX_OVERLAP,
                tries: int = 10) -> tuple[Placement, np.ndarray]:
    """:func:`sample_placement` redrawn (up to ``tries`` times) until the figure's box shares at most
    ``max_overlap`` of the smaller box with each box in ``others``; else the draw that overlaps least.

    Figures stand apart like people in a group, yet nearer ones still hide parts of farther ones.

    Returns:
        The placement and the ``(4,)`` box of ``extent`` under it.
    """
    best, best_overlap = None, np.inf
    for _ in range(tries):
        placement = sample_placement(rng, extent, width, height, num_persons)
        box = bounding_box(placement.apply(extent))
        overlap = box_overlap(box, others)
        if overlap < best_overlap:
            best, best_overlap = (placement, box), overlap
        if overlap <= max_overlap:
            break
    return best

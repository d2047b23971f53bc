"""Random colours, textures and clutter: the background of a scene and the blobs that hide parts of figures.

Images are ``(H, W, 3)`` float32 BGR in 0..255 (before the final clip to uint8).
"""
from __future__ import annotations

import cv2
import numpy as np


def random_colour(rng: np.random.Generator, saturation: tuple[float, float] = (0.0, 1.0),
                  value: tuple[float, float] = (0.1, 1.0)) -> np.ndarray:
    """``(3,)`` float32 BGR colour in 0..255 from a random hue and the given saturation / value ranges."""
    hsv = np.array([[[rng.uniform(0, 180), rng.uniform(*saturation) * 255, rng.uniform(*value) * 255]]], np.float32)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)


def smooth_noise(rng: np.random.Generator, height: int, width: int, cell: int, channels: int = 1) -> np.ndarray:
    """``(height, width, channels)`` float32 unit-variance-ish noise that varies over about ``cell`` pixels."""
    grid = rng.standard_normal((height // cell + 2, width // cell + 2, channels), dtype=np.float32)
    noise = cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
    return noise.reshape(height, width, channels)


def _ramp(height: int, width: int, angle: float) -> np.ndarray:
    """``(height, width)`` float32 ``x cos(angle) + y sin(angle)`` in pixels."""
    x = np.arange(width, dtype=np.float32) * np.float32(np.cos(angle))
    y = np.arange(height, dtype=np.float32) * np.float32(np.sin(angle))
    return y[:, None] + x[None, :]


def stripes(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """``(height, width)`` float32 square-wave stripes in {-1, 1} with a random period (px) and direction."""
    period, angle = rng.uniform(3, 14), rng.uniform(0, np.pi)
    phase = _ramp(height, width, angle) * np.float32(2 * np.pi / period) + np.float32(rng.uniform(0, 2 * np.pi))
    return np.sign(np.sin(phase))


def _texture(rng: np.random.Generator, height: int, width: int, colour: np.ndarray) -> np.ndarray:
    """``(height, width, 3)`` float32 fill: ``colour`` modulated by shading noise, sometimes stripes."""
    modulation = 1 + rng.uniform(0.03, 0.15) * smooth_noise(rng, height, width, int(rng.integers(3, 12)))
    if rng.random() < 0.3:
        modulation += rng.uniform(0.1, 0.35) * stripes(rng, height, width)[..., None]
    return colour * modulation


def _blob_mask(rng: np.random.Generator, shape: tuple[int, int], centre: np.ndarray, size: float) -> np.ndarray:
    """``shape`` bool mask of an ellipse, box, polygon or thick stroke of about ``size`` px at ``centre`` (xy)."""
    mask = np.zeros(shape, np.uint8)
    kind = rng.integers(4)
    if kind == 0:
        axes = (int(size / 2 * rng.uniform(0.3, 1)), int(size / 2 * rng.uniform(0.3, 1)))
        cv2.ellipse(mask, (int(centre[0]), int(centre[1])), axes, rng.uniform(0, 180), 0, 360, 1, -1)
    elif kind == 1:
        box = ((float(centre[0]), float(centre[1])), (size * rng.uniform(0.2, 1), size * rng.uniform(0.2, 1)),
               rng.uniform(0, 90))
        cv2.fillConvexPoly(mask, cv2.boxPoints(box).astype(np.int32), 1)
    elif kind == 2:
        points = centre + rng.uniform(-size / 2, size / 2, (int(rng.integers(3, 8)), 2))
        cv2.fillConvexPoly(mask, cv2.convexHull(points.astype(np.int32)), 1)
    else:
        angle = rng.uniform(0, np.pi)
        direction = np.array([np.cos(angle), np.sin(angle)]) * size / 2
        thickness = max(int(size * rng.uniform(0.05, 0.2)), 1)
        cv2.line(mask, tuple((centre - direction).astype(int)), tuple((centre + direction).astype(int)), 1, thickness)
    return mask.astype(bool)


def paint_blob(rng: np.random.Generator, image: np.ndarray, centre: np.ndarray,
               size: float) -> tuple[slice, slice, np.ndarray] | None:
    """Paint a textured blob (:func:`_blob_mask`) of about ``size`` px at ``centre`` (xy) into ``image``.

    Returns:
        ``rows, cols, inside``: the window of ``image`` the blob was drawn in and its ``(h, w)`` bool pixels there;
        ``None`` when the window lies outside the image.
    """
    height, width = image.shape[:2]
    half = int(np.ceil(0.75 * size)) + 2  # every shape stays within 0.71 size of its centre
    x0, y0 = max(int(centre[0]) - half, 0), max(int(centre[1]) - half, 0)
    x1, y1 = min(int(centre[0]) + half + 1, width), min(int(centre[1]) + half + 1, height)
    if x1 <= x0 or y1 <= y0:
        return None
    inside = _blob_mask(rng, (y1 - y0, x1 - x0), centre - (x0, y0), size)
    rows, cols = slice(y0, y1), slice(x0, x1)
    np.copyto(image[rows, cols], _texture(rng, y1 - y0, x1 - x0, random_colour(rng)), where=inside[..., None])
    return rows, cols, inside


def background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """``(height, width, 3)`` float32 BGR: a gradient, low-frequency colour noise, clutter blobs, blur."""
    angle = rng.uniform(0, 2 * np.pi)
    corners = [0.0, (width - 1) * np.cos(angle), (height - 1) * np.sin(angle)]
    low, span = min(corners[0], corners[1]) + min(corners[0], corners[2]), abs(corners[1]) + abs(corners[2])
    first, second = random_colour(rng), random_colour(rng)
    ramp = (_ramp(height, width, angle) - np.float32(low)) * np.float32(1 / max(span, 1.0))
    image = first + (second - first) * ramp[..., None]
    image += rng.uniform(5, 40) * smooth_noise(rng, height, width, int(rng.integers(16, 96)), channels=3)
    for _ in range(int(rng.integers(2, 13))):
        centre = rng.uniform([0, 0], [width, height])
        paint_blob(rng, image, centre, rng.uniform(0.05, 0.45) * max(width, height))
    sigma = rng.uniform(0, 2.5)
    return cv2.GaussianBlur(image, (0, 0), sigma) if sigma > 0.3 else image

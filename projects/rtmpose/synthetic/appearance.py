"""Colour a figure's region map: skin, clothing and hair colours, clothing texture and a lighting gradient."""
import numpy as np

from .regions import FACE_DETAIL, HAIR, NUM_MATERIALS, NUM_REGION_CODES, PANTS, SHIRT, SHOES, SKIN, region_code
from .texture import random_colour, smooth_noise, stripes

_SKIN_TONES = np.array([[205, 220, 250], [170, 195, 235], [140, 170, 220], [100, 135, 190], [70, 100, 150],
                        [45, 65, 105]], np.float32)  # BGR
_HAIR_COLOURS = np.array([[20, 20, 25], [30, 45, 70], [50, 90, 140], [110, 170, 210], [160, 160, 165]], np.float32)


def palette(rng: np.random.Generator, left_shade: float) -> np.ndarray:
    """``(NUM_REGION_CODES, 3)`` float32 BGR colour of every region code; the left side is ``left_shade`` darker."""
    base = np.empty((NUM_MATERIALS, 3), np.float32)
    base[SKIN] = _SKIN_TONES[rng.integers(len(_SKIN_TONES))] + rng.uniform(-12, 12, 3)
    base[SHIRT] = random_colour(rng, (0.15, 1.0), (0.25, 1.0))
    base[PANTS] = random_colour(rng, (0.1, 0.8), (0.1, 0.7))
    base[SHOES] = random_colour(rng, (0.0, 0.6), (0.05, 0.5))
    base[HAIR] = _HAIR_COLOURS[rng.integers(len(_HAIR_COLOURS))] + rng.uniform(-10, 10, 3)
    base[FACE_DETAIL] = base[SKIN] * rng.uniform(0.3, 0.55)
    colours = np.zeros((NUM_REGION_CODES, 3), np.float32)
    for material in range(NUM_MATERIALS):
        colours[region_code(material, False)] = base[material]
        colours[region_code(material, True)] = base[material] * left_shade
    return colours


def paint_person(rng: np.random.Generator, image: np.ndarray, labels: np.ndarray, regions: np.ndarray,
                 origin: tuple[int, int], colours: np.ndarray, label: int) -> None:
    """Colour the region map ``regions`` ``(h, w)`` (window at ``origin`` of ``image`` ``(H, W, 3)`` float32) with
    ``colours`` (:func:`palette`), clothing texture and a lighting gradient, and mark its pixels ``label`` in
    ``labels`` ``(H, W)``."""
    h, w = regions.shape
    x0, y0 = origin
    colour = colours[regions]
    modulation = 1 + rng.uniform(0.02, 0.1) * smooth_noise(rng, h, w, int(rng.integers(2, 8)))[..., 0]
    gx, gy = rng.uniform(-0.3, 0.3, 2)
    modulation += (np.linspace(-gy / 2, gy / 2, h, dtype=np.float32)[:, None]
                   + np.linspace(-gx / 2, gx / 2, w, dtype=np.float32)[None, :])
    if rng.random() < 0.4:
        shirt = (regions == region_code(SHIRT, False)) | (regions == region_code(SHIRT, True))
        modulation += rng.uniform(0.15, 0.4) * stripes(rng, h, w) * shirt
    painted = regions > 0
    np.copyto(image[y0:y0 + h, x0:x0 + w], colour * modulation[..., None], where=painted[..., None])
    labels[y0:y0 + h, x0:x0 + w][painted] = label

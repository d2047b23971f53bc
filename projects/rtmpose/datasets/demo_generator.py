"""A deterministic demo dataset in COCO person-keypoint format: synthetic scenes of articulated figures.

Layout (what MMPose's ``CocoDataset`` and ``CocoMetric`` read)::

    <root>/annotations/person_keypoints_train.json    <root>/train/000000000001.jpg ...
    <root>/annotations/person_keypoints_val.json      <root>/val/000001000001.jpg ...
    <root>/meta.json                                  generator, version, seed, counts, statistics

Every image comes from its own generator ``np.random.default_rng([seed, split_id, index])``, so an image and its
annotations do not depend on how many images are generated, and two runs give identical bytes.

A scene: a textured background with clutter, 1-4 figures (:mod:`.demo_figure`) at 40-90 % of the image height,
rotated in the image plane (rarely upside down), some cut by the border and some partly hidden by blobs drawn like
the clutter. Figures stand apart like people in a group (the boxes of two figures share at most ``MAX_OVERLAP`` of
the smaller one where a placement allows it), so nearer ones still hide parts of farther ones. Version 3 (this one)
placed figures apart and narrowed the poses and body turns of version 2 (see :func:`.demo_figure.sample_pose`):
on version 2 the demo RTMPose-t reached AP 0.18 after 10 epochs, on version 3 0.53.

Keypoint visibility follows COCO: 2 = visible, 1 = inside the image but hidden (by a later figure, a blob, or the
far side of the head), 0 = outside the image (then x = y = 0). ``bbox`` is the tight box of the
figure's pixels inside the image and ``area`` their count (the role of COCO's segmentation area in OKS).
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

from .demo_figure import (COCO_KEYPOINT_NAMES, FACE_DETAIL, HAIR, NUM_FACE_KEYPOINTS, NUM_KEYPOINTS, NUM_MATERIALS,
                          NUM_REGION_CODES, PANTS, SHIRT, SHOES, SKIN, Body3D, Clothing, Placement, face_hidden,
                          paint_figure, pose_body, region_code, sample_pose, sample_proportions)

GENERATOR_NAME = 'rtmpose.datasets.demo_generator'
GENERATOR_VERSION = 3
SPLITS = ('train', 'val')
IMAGE_ID_STRIDE = 1_000_000  # image ids of split s start at s * IMAGE_ID_STRIDE + 1
COCO_SKELETON = ((16, 14), (14, 12), (17, 15), (15, 13), (12, 13), (6, 12), (7, 13), (6, 7), (6, 8), (7, 9),
                 (8, 10), (9, 11), (2, 3), (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 7))  # 1-based, as in COCO
JPEG_QUALITY = 92
OCCLUDER_LABEL = 127
MAX_OVERLAP = 0.3  # of the smaller box, between two figures' boxes (redrawn placements)

_SKIN_TONES = np.array([[205, 220, 250], [170, 195, 235], [140, 170, 220], [100, 135, 190], [70, 100, 150],
                        [45, 65, 105]], np.float32)  # BGR
_HAIR_COLOURS = np.array([[20, 20, 25], [30, 45, 70], [50, 90, 140], [110, 170, 210], [160, 160, 165]], np.float32)

ProgressFn = Callable[[str, int, int], None]


# ----------------------------------------------------------------------------------------------------- drawing

def _random_colour(rng: np.random.Generator, saturation: tuple[float, float] = (0.0, 1.0),
                   value: tuple[float, float] = (0.1, 1.0)) -> np.ndarray:
    """``(3,)`` float32 BGR colour in 0..255 from a random hue and the given saturation / value ranges."""
    hsv = np.array([[[rng.uniform(0, 180), rng.uniform(*saturation) * 255, rng.uniform(*value) * 255]]], np.float32)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)


def _smooth_noise(rng: np.random.Generator, height: int, width: int, cell: int, channels: int = 1) -> np.ndarray:
    """``(height, width, channels)`` float32 unit-variance-ish noise that varies over about ``cell`` pixels."""
    grid = rng.standard_normal((height // cell + 2, width // cell + 2, channels), dtype=np.float32)
    noise = cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
    return noise.reshape(height, width, channels)


def _stripes(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """``(height, width)`` float32 square-wave stripes in {-1, 1} with a random period (px) and direction."""
    period, angle = rng.uniform(3, 14), rng.uniform(0, np.pi)
    phase = _ramp(height, width, angle) * np.float32(2 * np.pi / period) + np.float32(rng.uniform(0, 2 * np.pi))
    return np.sign(np.sin(phase))


def _ramp(height: int, width: int, angle: float) -> np.ndarray:
    """``(height, width)`` float32 ``x cos(angle) + y sin(angle)`` in pixels."""
    x = np.arange(width, dtype=np.float32) * np.float32(np.cos(angle))
    y = np.arange(height, dtype=np.float32) * np.float32(np.sin(angle))
    return y[:, None] + x[None, :]


def _texture(rng: np.random.Generator, height: int, width: int, colour: np.ndarray) -> np.ndarray:
    """``(height, width, 3)`` float32 fill: ``colour`` modulated by shading noise, sometimes stripes."""
    modulation = 1 + rng.uniform(0.03, 0.15) * _smooth_noise(rng, height, width, int(rng.integers(3, 12)))
    if rng.random() < 0.3:
        modulation += rng.uniform(0.1, 0.35) * _stripes(rng, height, width)[..., None]
    return colour * modulation


def _background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """``(height, width, 3)`` float32 BGR: a gradient, low-frequency colour noise, clutter blobs, blur."""
    angle = rng.uniform(0, 2 * np.pi)
    corners = [0.0, (width - 1) * np.cos(angle), (height - 1) * np.sin(angle)]
    low, span = min(corners[0], corners[1]) + min(corners[0], corners[2]), abs(corners[1]) + abs(corners[2])
    first, second = _random_colour(rng), _random_colour(rng)
    ramp = (_ramp(height, width, angle) - np.float32(low)) * np.float32(1 / max(span, 1.0))
    image = first + (second - first) * ramp[..., None]
    image += rng.uniform(5, 40) * _smooth_noise(rng, height, width, int(rng.integers(16, 96)), channels=3)
    for _ in range(int(rng.integers(2, 13))):
        centre = rng.uniform([0, 0], [width, height])
        _paint_blob(rng, image, None, centre, rng.uniform(0.05, 0.45) * max(width, height))
    sigma = rng.uniform(0, 2.5)
    return cv2.GaussianBlur(image, (0, 0), sigma) if sigma > 0.3 else image


def _paint_blob(rng: np.random.Generator, image: np.ndarray, labels: np.ndarray | None, centre: np.ndarray,
                size: float) -> None:
    """Paint a textured ellipse, box, polygon or thick stroke of about ``size`` px at ``centre`` (xy) into
    ``image`` ``(H, W, 3)`` float32; where ``labels`` ``(H, W)`` is given, mark its pixels ``OCCLUDER_LABEL``."""
    height, width = image.shape[:2]
    half = int(np.ceil(0.75 * size)) + 2  # every shape stays within 0.71 size of its centre
    x0, y0 = max(int(centre[0]) - half, 0), max(int(centre[1]) - half, 0)
    x1, y1 = min(int(centre[0]) + half + 1, width), min(int(centre[1]) + half + 1, height)
    if x1 <= x0 or y1 <= y0:
        return
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    c = centre - (x0, y0)
    kind = rng.integers(4)
    if kind == 0:
        axes = (int(size / 2 * rng.uniform(0.3, 1)), int(size / 2 * rng.uniform(0.3, 1)))
        cv2.ellipse(mask, (int(c[0]), int(c[1])), axes, rng.uniform(0, 180), 0, 360, 1, -1)
    elif kind == 1:
        box = ((float(c[0]), float(c[1])), (size * rng.uniform(0.2, 1), size * rng.uniform(0.2, 1)),
               rng.uniform(0, 90))
        cv2.fillConvexPoly(mask, cv2.boxPoints(box).astype(np.int32), 1)
    elif kind == 2:
        points = c + rng.uniform(-size / 2, size / 2, (int(rng.integers(3, 8)), 2))
        cv2.fillConvexPoly(mask, cv2.convexHull(points.astype(np.int32)), 1)
    else:
        angle = rng.uniform(0, np.pi)
        direction = np.array([np.cos(angle), np.sin(angle)]) * size / 2
        thickness = max(int(size * rng.uniform(0.05, 0.2)), 1)
        cv2.line(mask, tuple((c - direction).astype(int)), tuple((c + direction).astype(int)), 1, thickness)
    inside = mask.astype(bool)
    np.copyto(image[y0:y1, x0:x1], _texture(rng, y1 - y0, x1 - x0, _random_colour(rng)), where=inside[..., None])
    if labels is not None:
        labels[y0:y1, x0:x1][inside] = OCCLUDER_LABEL


def _palette(rng: np.random.Generator, left_shade: float) -> np.ndarray:
    """``(NUM_REGION_CODES, 3)`` float32 BGR colour of every region code; the left side is ``left_shade`` darker."""
    base = np.empty((NUM_MATERIALS, 3), np.float32)
    base[SKIN] = _SKIN_TONES[rng.integers(len(_SKIN_TONES))] + rng.uniform(-12, 12, 3)
    base[SHIRT] = _random_colour(rng, (0.15, 1.0), (0.25, 1.0))
    base[PANTS] = _random_colour(rng, (0.1, 0.8), (0.1, 0.7))
    base[SHOES] = _random_colour(rng, (0.0, 0.6), (0.05, 0.5))
    base[HAIR] = _HAIR_COLOURS[rng.integers(len(_HAIR_COLOURS))] + rng.uniform(-10, 10, 3)
    base[FACE_DETAIL] = base[SKIN] * rng.uniform(0.3, 0.55)
    palette = np.zeros((NUM_REGION_CODES, 3), np.float32)
    for material in range(NUM_MATERIALS):
        palette[region_code(material, False)] = base[material]
        palette[region_code(material, True)] = base[material] * left_shade
    return palette


def _sample_placement(rng: np.random.Generator, extent: np.ndarray, width: int, height: int,
                      num_persons: int) -> Placement:
    """Scale (40-90 % of the image height for a standing figure), in-plane angle, and an offset that keeps the
    figure inside the image or, for about one in five, lets part of it leave across a border.

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


def _box(points: np.ndarray) -> np.ndarray:
    """``(4,)`` x0, y0, x1, y1 of ``(N, 2)`` points."""
    return np.concatenate([points.min(0), points.max(0)])


def _overlap(box: np.ndarray, others: list[np.ndarray]) -> float:
    """Largest share of the smaller box that ``box`` has in common with one of ``others`` (0 when none)."""
    worst = 0.0
    for other in others:
        w, h = np.minimum(box[2:], other[2:]) - np.maximum(box[:2], other[:2])
        if w > 0 and h > 0:
            smaller = min(np.prod(box[2:] - box[:2]), np.prod(other[2:] - other[:2]))
            worst = max(worst, float(w * h / max(smaller, 1e-6)))
    return worst


def _place_apart(rng: np.random.Generator, extent: np.ndarray, width: int, height: int, num_persons: int,
                 others: list[np.ndarray], max_overlap: float = MAX_OVERLAP,
                 tries: int = 10) -> tuple[Placement, np.ndarray]:
    """:func:`_sample_placement` redrawn (up to ``tries`` times) until the figure's box shares at most
    ``max_overlap`` of the smaller box with each box in ``others``; else the draw that overlaps least.

    Returns:
        The placement and the ``(4,)`` box of ``extent`` under it.
    """
    best, best_overlap = None, np.inf
    for _ in range(tries):
        placement = _sample_placement(rng, extent, width, height, num_persons)
        box = _box(placement.apply(extent))
        overlap = _overlap(box, others)
        if overlap < best_overlap:
            best, best_overlap = (placement, box), overlap
        if overlap <= max_overlap:
            break
    return best


def _paint_person(rng: np.random.Generator, image: np.ndarray, labels: np.ndarray, regions: np.ndarray,
                  origin: tuple[int, int], palette: np.ndarray, label: int) -> None:
    """Colour the region map ``regions`` ``(h, w)`` (window at ``origin`` of ``image``) with ``palette``, clothing
    texture and a lighting gradient, and mark its pixels ``label`` in ``labels``."""
    h, w = regions.shape
    x0, y0 = origin
    colour = palette[regions]
    modulation = 1 + rng.uniform(0.02, 0.1) * _smooth_noise(rng, h, w, int(rng.integers(2, 8)))[..., 0]
    gx, gy = rng.uniform(-0.3, 0.3, 2)
    modulation += (np.linspace(-gy / 2, gy / 2, h, dtype=np.float32)[:, None]
                   + np.linspace(-gx / 2, gx / 2, w, dtype=np.float32)[None, :])
    if rng.random() < 0.4:
        shirt = (regions == region_code(SHIRT, False)) | (regions == region_code(SHIRT, True))
        modulation += rng.uniform(0.15, 0.4) * _stripes(rng, h, w) * shirt
    painted = regions > 0
    np.copyto(image[y0:y0 + h, x0:x0 + w], colour * modulation[..., None], where=painted[..., None])
    labels[y0:y0 + h, x0:x0 + w][painted] = label


def render_scene(rng: np.random.Generator) -> tuple[np.ndarray, list[dict]]:
    """Draw one scene.

    Returns:
        image: ``(H, W, 3)`` uint8 BGR, long side 256-384 px.
        people: one dict per annotated figure, in painting order: ``keypoints`` ``(17, 3)`` float64 (x, y, v),
            ``bbox`` ``[x, y, w, h]`` (integers) and ``area`` (pixels of the figure inside the image).
    """
    long_side = int(rng.integers(256, 385))
    short_side = int(round(long_side * rng.uniform(0.65, 1.0)))
    width, height = (long_side, short_side) if rng.random() < 0.5 else (short_side, long_side)
    image = _background(rng, width, height)
    labels = np.full((height, width), -1, np.int16)

    num_persons = int(rng.choice(4, p=[0.4, 0.3, 0.2, 0.1])) + 1
    persons = []
    for _ in range(num_persons):
        body = pose_body(sample_pose(rng), sample_proportions(rng))
        clothing = Clothing(long_sleeves=bool(rng.random() < 0.5), long_trousers=bool(rng.random() < 0.7),
                            left_shade=float(rng.uniform(0.78, 0.9)))
        extent = np.concatenate([body.keypoints, body.hand_tips, body.toes, body.head_center[None]])
        placement, box = _place_apart(rng, extent, width, height, num_persons, [box for *_, box in persons])
        persons.append((placement.scale, body, clothing, placement, box))
    persons.sort(key=lambda person: person[0])  # larger (nearer) figures are painted over smaller ones

    painted = []
    for label, (_, body, clothing, placement, _) in enumerate(persons):
        figure = paint_figure(body, placement, clothing, (width, height))
        if figure is None:
            continue
        _paint_person(rng, image, labels, figure.regions, figure.origin, _palette(rng, clothing.left_shade), label)
        painted.append((label, body, placement, figure))

    if painted and rng.random() < 0.25:
        for _ in range(int(rng.integers(1, 3))):
            _, body, placement, figure = painted[int(rng.integers(len(painted)))]
            centre = figure.keypoints[rng.integers(NUM_KEYPOINTS)] + rng.normal(0, 0.05 * placement.scale, 2)
            _paint_blob(rng, image, labels, centre, rng.uniform(0.12, 0.35) * placement.scale)

    if rng.random() < 0.5:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.4, 1.0))
    image = image * rng.uniform(0.8, 1.2) + rng.uniform(-20, 20)
    image += rng.uniform(0, 6) * rng.standard_normal((height, width, 1), dtype=np.float32)  # luminance noise
    image = np.clip(image + 0.5, 0, 255).astype(np.uint8)

    people = []
    for label, body, _, figure in painted:
        person = _annotate(labels, label, body, figure.keypoints, figure.regions, figure.origin)
        if person is not None:
            people.append(person)
    return image, people


def _annotate(labels: np.ndarray, label: int, body: Body3D, keypoints: np.ndarray, regions: np.ndarray,
              origin: tuple[int, int]) -> dict | None:
    """COCO keypoints ``(17, 3)``, bbox and area of one painted figure; ``None`` if no keypoint is labelled."""
    height, width = labels.shape
    x, y = keypoints[:, 0], keypoints[:, 1]
    inside = (x >= 0) & (x <= width - 1) & (y >= 0) & (y <= height - 1)
    visibility = np.where(inside, 2, 0)
    xi = np.clip(np.round(x).astype(int), 0, width - 1)
    yi = np.clip(np.round(y).astype(int), 0, height - 1)
    hidden = labels[yi, xi] > label  # painted over by a later (nearer) figure or an occluder
    hidden[:NUM_FACE_KEYPOINTS] |= face_hidden(body)
    visibility[inside & hidden] = 1
    if not visibility.any():
        return None
    coco = np.zeros((NUM_KEYPOINTS, 3))
    coco[:, :2] = np.where(visibility[:, None] > 0, keypoints, 0)
    coco[:, 2] = visibility

    ys, xs = np.nonzero(regions)
    labelled = keypoints[visibility > 0]  # inside the painted pixels but for rounding; included to be sure
    x0 = max(min(xs.min() + origin[0], int(np.floor(labelled[:, 0].min()))), 0)
    y0 = max(min(ys.min() + origin[1], int(np.floor(labelled[:, 1].min()))), 0)
    x1 = min(max(xs.max() + origin[0] + 1, int(np.ceil(labelled[:, 0].max()))), width)
    y1 = min(max(ys.max() + origin[1] + 1, int(np.ceil(labelled[:, 1].max()))), height)
    return dict(keypoints=coco, bbox=[int(x0), int(y0), int(x1 - x0), int(y1 - y0)], area=float(len(xs)))


# ----------------------------------------------------------------------------------------------------- dataset

def write_image(path: Path, image: np.ndarray) -> None:
    """Encode ``image`` ``(H, W, 3)`` uint8 BGR as JPEG at ``path``."""
    ok, data = cv2.imencode('.jpg', image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise OSError(f'could not encode {path}')
    path.write_bytes(data.tobytes())


def _categories() -> list[dict]:
    return [dict(id=1, name='person', supercategory='person', keypoints=list(COCO_KEYPOINT_NAMES),
                 skeleton=[list(link) for link in COCO_SKELETON])]


def _write_split(root: Path, split_id: int, num_images: int, seed: int, progress: ProgressFn | None) -> dict:
    """Render and write one split; returns its statistics."""
    split = SPLITS[split_id]
    (root / split).mkdir(parents=True)
    images, annotations = [], []
    for index in range(num_images):
        image, people = render_scene(np.random.default_rng([seed, split_id, index]))
        image_id = split_id * IMAGE_ID_STRIDE + index + 1
        file_name = f'{image_id:012d}.jpg'
        write_image(root / split / file_name, image)
        images.append(dict(id=image_id, file_name=file_name, width=image.shape[1], height=image.shape[0]))
        for k, person in enumerate(people):
            kpts = person['keypoints']
            annotations.append(dict(
                id=image_id * 10 + k + 1, image_id=image_id, category_id=1,
                bbox=person['bbox'], area=person['area'], iscrowd=0,
                num_keypoints=int(np.count_nonzero(kpts[:, 2])),
                keypoints=[round(float(v), 2) if i % 3 < 2 else int(v) for i, v in enumerate(kpts.ravel())]))
        if progress is not None:
            progress(split, index + 1, num_images)
    coco = dict(info=dict(description=f'rtmpose synthetic demo persons ({split})', version=str(GENERATOR_VERSION)),
                licenses=[], images=images, annotations=annotations, categories=_categories())
    ann_file = root / 'annotations' / f'person_keypoints_{split}.json'
    ann_file.write_text(json.dumps(coco, separators=(',', ':')))
    visibility = np.array([a['keypoints'][2::3] for a in annotations]).reshape(-1, NUM_KEYPOINTS)
    return dict(images=num_images, instances=len(annotations),
                keypoints={f'v{v}': int(np.count_nonzero(visibility == v)) for v in (0, 1, 2)})


def _sibling(root: Path, kind: str) -> Path:
    """Create and return a new hidden folder next to ``root`` (same file system, so renames are atomic)."""
    folder = root.parent / f'.{root.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}'
    folder.mkdir()
    return folder


def _move_into_place(tmp: Path, root: Path) -> None:
    """Rename the finished folder ``tmp`` to ``root``, replacing an existing ``root`` (restored on failure)."""
    if not root.exists():
        tmp.rename(root)
        return
    trash = _sibling(root, 'old')
    root.rename(trash / root.name)
    try:
        tmp.rename(root)
    except BaseException:
        (trash / root.name).rename(root)
        raise
    shutil.rmtree(trash)


def _read_meta(root: Path) -> dict | None:
    try:
        meta = json.loads((root / 'meta.json').read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get('generator') == GENERATOR_NAME else None


def _matches(meta: dict | None, root: Path, num_train: int, num_val: int, seed: int) -> bool:
    return (meta is not None and meta.get('version') == GENERATOR_VERSION and meta.get('seed') == seed
            and meta.get('num_train') == num_train and meta.get('num_val') == num_val
            and all((root / 'annotations' / f'person_keypoints_{split}.json').is_file() for split in SPLITS))


def _written_meanwhile(root: Path, found: dict | None, num_train: int, num_val: int, seed: int) -> dict | None:
    """The meta of a matching dataset at ``root`` that differs from the ``found`` one seen at the start, or None."""
    meta = _read_meta(root)
    return meta if meta != found and _matches(meta, root, num_train, num_val, seed) else None


def _summary(root: Path, meta: dict, generated: bool) -> dict:
    return dict(root=str(root), generated=generated,
                ann_files={s: str(root / 'annotations' / f'person_keypoints_{s}.json') for s in SPLITS},
                img_dirs={s: str(root / s) for s in SPLITS}, seed=meta['seed'],
                stats=meta['stats'], seconds=meta['seconds'])


def generate_demo_dataset(root: str | Path, num_train: int = 1500, num_val: int = 200, seed: int = 0,
                          overwrite: bool = False, progress: ProgressFn | None = None) -> dict:
    """Write the demo dataset to ``root`` (e.g. ``data/demo``) unless it is already there.

    If ``root`` holds a dataset of this generator version with the same seed and counts, nothing is written. Other
    content is replaced only with ``overwrite=True`` (else ``FileExistsError``). The dataset is built in a temporary
    folder next to ``root`` and renamed into place, so an interrupted run leaves no partial ``root``.

    Args:
        progress: called as ``progress(split, done, total)`` after each image.

    Returns:
        ``root``, ``generated`` (False when it was already there), ``ann_files`` and ``img_dirs`` per split,
        ``seed``, ``stats`` per split (images, instances, keypoint counts per visibility) and ``seconds`` taken.
    """
    if not (0 <= num_train < IMAGE_ID_STRIDE and 0 <= num_val < IMAGE_ID_STRIDE):
        raise ValueError(f'image counts must be in [0, {IMAGE_ID_STRIDE}), got num_train={num_train}, '
                         f'num_val={num_val}')
    root = Path(root).absolute()
    found = _read_meta(root)
    if not overwrite and _matches(found, root, num_train, num_val, seed):
        return _summary(root, found, generated=False)
    if root.exists() and not overwrite and (not root.is_dir() or any(root.iterdir())):
        raise FileExistsError(f'{root} exists and is not a demo dataset with seed={seed}, num_train={num_train}, '
                              f'num_val={num_val} (version {GENERATOR_VERSION}); pass overwrite=True to replace it')

    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(root, 'tmp')
    try:
        start = time.perf_counter()
        (tmp / 'annotations').mkdir()
        stats = {split: _write_split(tmp, split_id, count, seed, progress)
                 for split_id, (split, count) in enumerate(zip(SPLITS, (num_train, num_val)))}
        meta = dict(generator=GENERATOR_NAME, version=GENERATOR_VERSION, seed=seed, num_train=num_train,
                    num_val=num_val, stats=stats, seconds=round(time.perf_counter() - start, 2))
        (tmp / 'meta.json').write_text(json.dumps(meta, indent=2))
        # another process (e.g. another rank of a distributed run) may have written the same dataset meanwhile
        done = _written_meanwhile(root, found, num_train, num_val, seed)
        if done is None:
            try:
                _move_into_place(tmp, root)
            except OSError:
                done = _written_meanwhile(root, found, num_train, num_val, seed)
                if done is None:
                    raise
        if done is not None:
            shutil.rmtree(tmp)
            return _summary(root, done, generated=False)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return _summary(root, meta, generated=True)


def ensure_demo_dataset(root: str | Path, num_train: int = 1500, num_val: int = 200, seed: int = 0,
                        progress: ProgressFn | None = None) -> dict:
    """Make sure ``root`` holds the demo dataset with these settings: generate it when absent, regenerate a demo
    dataset made with other settings or another generator version, refuse (``FileExistsError``) other content."""
    meta = _read_meta(Path(root).absolute())
    stale = meta is not None and not _matches(meta, Path(root).absolute(), num_train, num_val, seed)
    return generate_demo_dataset(root, num_train, num_val, seed, overwrite=stale, progress=progress)

"""Render one scene: a textured background with clutter and 1-4 figures, some cut by the border and some partly
hidden by blobs drawn like the clutter, with its COCO ground truth.

Figures are scaled to 40-90 % of the image height and rotated in the image plane (rarely upside down). They stand
apart like people in a group (:func:`~.placement.place_apart`), so nearer ones still hide parts of farther ones.
"""
from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from rtmpose.metainfo import COCO17

from .annotation import annotate
from .appearance import paint_person, palette
from .body import Body3D, pose_body
from .figure import Clothing, PaintedFigure, paint_figure
from .placement import Placement, place_apart
from .pose import sample_pose, sample_proportions
from .texture import background, paint_blob

# the version of what :func:`render_scene` draws, stored with every dataset; bump it when the images or annotations
# change, so that datasets written before are regenerated
SCENE_VERSION = 3
OCCLUDER_LABEL = 127  # label-map value of a blob painted over figures (above every figure's painting order)


class _Person(NamedTuple):
    body: Body3D
    clothing: Clothing
    placement: Placement
    box: np.ndarray  # (4,) x0, y0, x1, y1 of the placed body points


def _image_size(rng: np.random.Generator) -> tuple[int, int]:
    """``width, height``: long side 256-384 px, aspect ratio 1-1.54, landscape or portrait."""
    long_side = int(rng.integers(256, 385))
    short_side = int(round(long_side * rng.uniform(0.65, 1.0)))
    return (long_side, short_side) if rng.random() < 0.5 else (short_side, long_side)


def _sample_people(rng: np.random.Generator, width: int, height: int) -> list[_Person]:
    """1-4 posed, dressed and placed figures, smaller (farther) ones first."""
    num_persons = int(rng.choice(4, p=[0.4, 0.3, 0.2, 0.1])) + 1
    persons = []
    for _ in range(num_persons):
        body = pose_body(sample_pose(rng), sample_proportions(rng))
        clothing = Clothing(long_sleeves=bool(rng.random() < 0.5), long_trousers=bool(rng.random() < 0.7),
                            left_shade=float(rng.uniform(0.78, 0.9)))
        extent = np.concatenate([body.keypoints, body.hand_tips, body.toes, body.head_center[None]])
        placement, box = place_apart(rng, extent, width, height, num_persons, [person.box for person in persons])
        persons.append(_Person(body, clothing, placement, box))
    persons.sort(key=lambda person: person.placement.scale)  # larger (nearer) figures are painted over smaller ones
    return persons


def _paint_people(rng: np.random.Generator, image: np.ndarray, labels: np.ndarray,
                  persons: list[_Person]) -> list[tuple[int, _Person, PaintedFigure]]:
    """Paint the figures in order into ``image`` and ``labels``; returns ``(label, person, figure)`` of those that
    fall into the image."""
    height, width = labels.shape
    painted = []
    for label, person in enumerate(persons):
        figure = paint_figure(person.body, person.placement, person.clothing, (width, height))
        if figure is None:
            continue
        colours = palette(rng, person.clothing.left_shade)
        paint_person(rng, image, labels, figure.regions, figure.origin, colours, label)
        painted.append((label, person, figure))
    return painted


def _occlude(rng: np.random.Generator, image: np.ndarray, labels: np.ndarray,
             painted: list[tuple[int, _Person, PaintedFigure]]) -> None:
    """In one scene of four, paint one or two blobs near keypoints of the figures."""
    if not painted or rng.random() >= 0.25:
        return
    for _ in range(int(rng.integers(1, 3))):
        _, person, figure = painted[int(rng.integers(len(painted)))]
        scale = person.placement.scale
        centre = figure.keypoints[rng.integers(COCO17.num_keypoints)] + rng.normal(0, 0.05 * scale, 2)
        drawn = paint_blob(rng, image, centre, rng.uniform(0.12, 0.35) * scale)
        if drawn is not None:
            rows, cols, inside = drawn
            labels[rows, cols][inside] = OCCLUDER_LABEL


def _camera(rng: np.random.Generator, image: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` float32 -> uint8: sometimes defocus, then gain, offset and luminance noise."""
    height, width = image.shape[:2]
    if rng.random() < 0.5:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.4, 1.0))
    image = image * rng.uniform(0.8, 1.2) + rng.uniform(-20, 20)
    image += rng.uniform(0, 6) * rng.standard_normal((height, width, 1), dtype=np.float32)  # luminance noise
    return np.clip(image + 0.5, 0, 255).astype(np.uint8)


def render_scene(rng: np.random.Generator) -> tuple[np.ndarray, list[dict]]:
    """Draw one scene.

    Returns:
        image: ``(H, W, 3)`` uint8 BGR, long side 256-384 px.
        people: one dict per annotated figure, in painting order: ``keypoints`` ``(17, 3)`` float64 (x, y, v),
            ``bbox`` ``[x, y, w, h]`` (integers) and ``area`` (pixels of the figure inside the image); see
            :func:`~.annotation.annotate`.
    """
    width, height = _image_size(rng)
    image = background(rng, width, height)
    labels = np.full((height, width), -1, np.int16)
    painted = _paint_people(rng, image, labels, _sample_people(rng, width, height))
    _occlude(rng, image, labels, painted)
    image = _camera(rng, image)
    people = [annotate(labels, label, person.body, figure) for label, person, figure in painted]
    return image, [person for person in people if person is not None]

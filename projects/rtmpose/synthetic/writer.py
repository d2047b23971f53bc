"""Write one split of the demo dataset: rendered scenes as JPEG files and their annotations as COCO JSON."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from rtmpose.metainfo import COCO17

from .scene import SCENE_VERSION, render_scene

SPLITS = ('train', 'val')
IMAGE_ID_STRIDE = 1_000_000  # image ids of split s start at s * IMAGE_ID_STRIDE + 1
JPEG_QUALITY = 92

ProgressFn = Callable[[str, int, int], None]


def write_image(path: Path, image: np.ndarray) -> None:
    """Encode ``image`` ``(H, W, 3)`` uint8 BGR as JPEG at ``path``."""
    ok, data = cv2.imencode('.jpg', image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise OSError(f'could not encode {path}')
    path.write_bytes(data.tobytes())


def ann_file(root: Path, split: str) -> Path:
    """The COCO annotation file of ``split`` under the dataset folder ``root``."""
    return root / 'annotations' / f'person_keypoints_{split}.json'


def _categories() -> list[dict]:
    return [dict(id=1, name='person', supercategory='person', keypoints=list(COCO17.keypoint_names),
                 skeleton=COCO17.coco_skeleton())]


def _annotation(image_id: int, k: int, person: dict) -> dict:
    """COCO annotation ``k`` (0-based) of image ``image_id``; coordinates rounded to 0.01 px."""
    kpts = person['keypoints']
    return dict(id=image_id * 10 + k + 1, image_id=image_id, category_id=1, bbox=person['bbox'], area=person['area'],
                iscrowd=0, num_keypoints=int(np.count_nonzero(kpts[:, 2])),
                keypoints=[round(float(v), 2) if i % 3 < 2 else int(v) for i, v in enumerate(kpts.ravel())])


def write_split(root: Path, split_id: int, num_images: int, seed: int, progress: ProgressFn | None) -> dict:
    """Render and write split ``SPLITS[split_id]`` into ``root`` (whose ``annotations/`` folder exists).

    Image ``index`` comes from its own generator ``np.random.default_rng([seed, split_id, index])``, so an image and
    its annotations do not depend on how many images are written.

    Args:
        progress: called as ``progress(split, done, total)`` after each image.

    Returns:
        The split's statistics: ``images``, ``instances`` and ``keypoints`` (count per visibility ``v0``-``v2``).
    """
    split = SPLITS[split_id]
    (root / split).mkdir(parents=True)
    images, annotations = [], []
    for index in range(num_images):
        image, people = render_scene(np.random.default_rng([seed, split_id, index]))
        image_id = split_id * IMAGE_ID_STRIDE + index + 1
        file_name = f'{image_id:012d}.jpg'
        write_image(root / split / file_name, image)
        images.append(dict(id=image_id, file_name=file_name, width=image.shape[1], height=image.shape[0]))
        annotations += [_annotation(image_id, k, person) for k, person in enumerate(people)]
        if progress is not None:
            progress(split, index + 1, num_images)
    coco = dict(info=dict(description=f'rtmpose synthetic demo persons ({split})', version=str(SCENE_VERSION)),
                licenses=[], images=images, annotations=annotations, categories=_categories())
    ann_file(root, split).write_text(json.dumps(coco, separators=(',', ':')))
    visibility = np.array([a['keypoints'][2::3] for a in annotations]).reshape(-1, COCO17.num_keypoints)
    return dict(images=num_images, instances=len(annotations),
                keypoints={f'v{v}': int(np.count_nonzero(visibility == v)) for v in (0, 1, 2)})

"""Real person crops from COCO files, cropped by MMPose's own top-down transforms."""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..inference.preprocess import DEFAULT_MEAN, DEFAULT_STD, normalize_batch
from ..utils.coco_boxes import read_person_boxes


@dataclass(frozen=True)
class PersonCrops:
    """``N`` person crops of size ``(w, h)``.

    Attributes:
        inputs: ``(N, 3, h, w)`` float32 network inputs (RGB, normalised).
        images: ``(N, h, w, 3)`` uint8 BGR crops.
        keypoints: ``(N, K, 2)`` float32 ground-truth keypoints in crop pixels (``K = 0`` for detector boxes).
        visible: ``(N, K)`` float32 ground-truth visibility (1 labelled, 0 not).
    """

    inputs: np.ndarray
    images: np.ndarray
    keypoints: np.ndarray
    visible: np.ndarray


def load_person_crops(coco_dir: str | Path, ann_file: str = 'test_coco.json', input_size: tuple[int, int] = (192, 256),
                      padding: float = 1.25) -> PersonCrops:
    """Crop every person annotation of ``coco_dir/ann_file`` (images in ``coco_dir``), in file order, from its
    ground-truth box; see :func:`crop_boxes`."""
    boxes = read_person_boxes(Path(coco_dir) / ann_file)
    keypoints = np.array([b.record['keypoints'] for b in boxes], dtype=np.float32).reshape(len(boxes), -1, 3)
    return crop_boxes([b.image for b in boxes], np.array([b.bbox for b in boxes]), input_size, padding, keypoints)


def load_detection_crops(coco_dir: str | Path, det_file: str = 'test_coco_det_AP_H_56.json', min_score: float = 0.5,
                         ann_file: str = 'test_coco.json', input_size: tuple[int, int] = (192, 256),
                         padding: float = 1.25) -> PersonCrops:
    """Crop the person boxes of a detection result file (COCO results format) with ``score >= min_score``."""
    coco_dir = Path(coco_dir)
    boxes = read_person_boxes(coco_dir / ann_file, det_file=coco_dir / det_file, min_score=min_score)
    return crop_boxes([b.image for b in boxes], np.array([b.bbox for b in boxes]), input_size, padding)


def crop_boxes(image_files: list[Path], boxes_xywh: np.ndarray, input_size: tuple[int, int] = (192, 256),
               padding: float = 1.25, keypoints: np.ndarray | None = None) -> PersonCrops:
    """Affine crops of ``N`` boxes ``(N, 4)`` (COCO ``x, y, w, h``) to ``input_size`` (w, h).

    Uses MMPose's own transforms: ``LoadImage``, ``GetBBoxCenterScale(padding)`` and ``TopdownAffine(input_size)``
    (aspect ratio fixed, no rotation), so the crops are the ones MMPose and MMDeploy's SDK feed to the network; they
    are normalised as the inference pipeline does (:func:`~rtmpose.inference.preprocess.normalize_batch`, RTMPose's
    mean and std). ``keypoints (N, K, 3)`` (COCO ``x, y, v``), if given, are mapped into the crops.
    """
    from mmpose.datasets.transforms import GetBBoxCenterScale, LoadImage, TopdownAffine

    steps = [LoadImage(), GetBBoxCenterScale(padding=padding), TopdownAffine(input_size=input_size)]
    if keypoints is None:
        keypoints = np.zeros((len(boxes_xywh), 0, 3), dtype=np.float32)
    images, crop_keypoints = [], []
    for image_file, (x, y, w, h), kpts in zip(image_files, boxes_xywh, keypoints):
        results = dict(img_path=str(image_file), bbox=np.array([[x, y, x + w, y + h]], dtype=np.float32),
                       keypoints=kpts[None, :, :2], keypoints_visible=np.minimum(kpts[None, :, 2], 1))
        for step in steps:
            results = step(results)
        images.append(results['img'])
        crop_keypoints.append(results['transformed_keypoints'][0] if len(kpts) else kpts[:, :2])
    images = np.stack(images)
    return PersonCrops(inputs=normalize_batch(images, DEFAULT_MEAN, DEFAULT_STD), images=images,
                       keypoints=np.stack(crop_keypoints).astype(np.float32),
                       visible=np.minimum(keypoints[..., 2], 1).astype(np.float32))

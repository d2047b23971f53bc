"""Real person crops from COCO files, prepared exactly as RTMPose's top-down test pipeline does."""
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: RTMPose preprocessing (``rtmpose-m-sdk-meta/pipeline.json``): RGB mean and std.
MEAN = np.array([123.675, 116.28, 103.53], dtype=np.float32)
STD = np.array([58.395, 57.12, 57.375], dtype=np.float32)


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


def normalize(images: np.ndarray) -> np.ndarray:
    """``(N, h, w, 3)`` uint8 BGR -> ``(N, 3, h, w)`` float32 RGB ``(x - mean) / std``."""
    rgb = images[..., ::-1].astype(np.float32)
    return np.ascontiguousarray(((rgb - MEAN) / STD).transpose(0, 3, 1, 2))


def load_person_crops(coco_dir: str | Path, ann_file: str = 'test_coco.json', input_size: tuple[int, int] = (192, 256),
                      padding: float = 1.25) -> PersonCrops:
    """Crop every person annotation of ``coco_dir/ann_file`` (images in ``coco_dir``), in file order, from its
    ground-truth box; see :func:`crop_boxes`."""
    coco_dir = Path(coco_dir)
    coco = json.loads((coco_dir / ann_file).read_text())
    files = {img['id']: coco_dir / img['file_name'] for img in coco['images']}
    anns = coco['annotations']
    keypoints = np.array([a['keypoints'] for a in anns], dtype=np.float32).reshape(len(anns), -1, 3)
    return crop_boxes([files[a['image_id']] for a in anns], np.array([a['bbox'] for a in anns]), input_size, padding,
                      keypoints)


def load_detection_crops(coco_dir: str | Path, det_file: str = 'test_coco_det_AP_H_56.json', min_score: float = 0.5,
                         ann_file: str = 'test_coco.json', input_size: tuple[int, int] = (192, 256),
                         padding: float = 1.25) -> PersonCrops:
    """Crop the person boxes of a detection result file (COCO results format) with ``score >= min_score``."""
    coco_dir = Path(coco_dir)
    files = {img['id']: coco_dir / img['file_name'] for img in json.loads((coco_dir / ann_file).read_text())['images']}
    dets = [d for d in json.loads((coco_dir / det_file).read_text()) if d['score'] >= min_score]
    return crop_boxes([files[d['image_id']] for d in dets], np.array([d['bbox'] for d in dets]), input_size, padding)


def crop_boxes(image_files: list[Path], boxes_xywh: np.ndarray, input_size: tuple[int, int] = (192, 256),
               padding: float = 1.25, keypoints: np.ndarray | None = None) -> PersonCrops:
    """Affine crops of ``N`` boxes ``(N, 4)`` (COCO ``x, y, w, h``) to ``input_size`` (w, h).

    Uses MMPose's own transforms: ``LoadImage``, ``GetBBoxCenterScale(padding)`` and ``TopdownAffine(input_size)``
    (aspect ratio fixed, no rotation), so the crops are the ones MMPose and MMDeploy's SDK feed to the network.
    ``keypoints (N, K, 3)`` (COCO ``x, y, v``), if given, are mapped into the crops.
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
    return PersonCrops(inputs=normalize(images), images=images,
                       keypoints=np.stack(crop_keypoints).astype(np.float32),
                       visible=np.minimum(keypoints[..., 2], 1).astype(np.float32))

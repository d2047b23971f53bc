"""The inputs on which our modules are compared with MMPose's: codec settings, keypoints, SimCC logits and labels,
image batches and data samples (shared by the equivalence tests and ``benchmarks/equivalence_report.py``)."""
from pathlib import Path

import numpy as np
import torch
from mmengine.structures import InstanceData
from mmpose.structures import PoseDataSample

from ..codecs.simcc_label import SimCCLabel
from ..metainfo import COCO17, KeypointSet
from ..utils.coco_boxes import read_person_boxes

#: ``(x, y)`` SimCC vectors: logits or labels ``(N, K, Wx)``, ``(N, K, Wy)``.
SimCCPair = tuple[torch.Tensor, torch.Tensor]

#: ``SimCCLabel`` arguments covering its modes: Gaussian (plain, normalised, DARK, 384x288, other split ratio) and
#: standard label smoothing (with and without a smoothing weight).
CODEC_SETTINGS = [
    dict(input_size=(192, 256), sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=False, use_dark=False),
    dict(input_size=(192, 256), sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=True, use_dark=False),
    dict(input_size=(192, 256), sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=False, use_dark=True),
    dict(input_size=(288, 384), sigma=(6., 6.93), simcc_split_ratio=2.0, normalize=True, use_dark=True),
    dict(input_size=(192, 256), sigma=6.0, simcc_split_ratio=3.0, normalize=True, use_dark=False),
    dict(input_size=(192, 256), smoothing_type='standard', simcc_split_ratio=2.0),
    dict(input_size=(192, 256), smoothing_type='standard', label_smooth_weight=0.1, simcc_split_ratio=1.5),
]


def flip_indices(keypoints: KeypointSet = COCO17) -> list[int]:
    """``flip_indices`` metainfo of a keypoint set: index ``i`` holds the keypoint that ``i`` becomes when flipped."""
    return keypoints.flip_indices


def random_keypoints(rng: np.random.Generator, n: int, k: int, input_size) -> tuple[np.ndarray, np.ndarray]:
    """``(N, K, 2)`` keypoints spread to 30% beyond every border of ``input_size`` ``(w, h)`` (some far outside) and
    their ``(N, K)`` visibility, each 0 / 0.3 / 0.7 / 1 / 2."""
    w, h = input_size
    kpts = rng.uniform([-0.3 * w, -0.3 * h], [1.3 * w, 1.3 * h], size=(n, k, 2))
    kpts[0, :3] = [[-100, 20], [w + 100, 20], [20, h + 500]]  # far outside
    vis = rng.choice([0.0, 0.3, 0.7, 1.0, 2.0], size=(n, k)).astype(np.float32)
    return kpts, vis


def coco_person_crops(ann_file: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Keypoints of the annotated persons of a COCO keypoint file, mapped into their 192x256 box crops.

    Returns ``(N, K, 2)`` float64 crop pixels and ``(N, K)`` float32 visibility (1 labelled, 0 not) of the ``N``
    annotations with keypoints, in file order (``test_coco.json`` of ``../shared``: 12 persons).
    """
    kpts, vis = [], []
    for box in read_person_boxes(ann_file):
        if box.record['num_keypoints'] == 0:
            continue
        x, y, w, h = box.bbox
        k = np.asarray(box.record['keypoints'], dtype=np.float64).reshape(-1, 3)
        # top-down crop: box padded by 1.25 and fitted to the 3:4 input, as TopdownAffine does
        cx, cy, s = x + w / 2, y + h / 2, max(w, h * 0.75) * 1.25
        scale = np.array([s, s / 0.75])
        kpts.append((k[:, :2] - [cx, cy]) / scale * [192, 256] + [96, 128])
        vis.append(np.minimum(k[:, 2], 1).astype(np.float32))
    return np.stack(kpts), np.stack(vis)


def simcc_loss_inputs(seed: int = 0, n: int = 4, k: int = 17) -> tuple[SimCCPair, SimCCPair, torch.Tensor]:
    """``(pred_x, pred_y)`` logits ``(N, K, 384)``, ``(N, K, 512)``, matching Gaussian-like labels ``(gt_x, gt_y)``
    and weights ``(N, K)``; the first sample's first three keypoints are invisible (empty labels, weight 0)."""
    g = torch.Generator().manual_seed(seed)
    pred = (torch.randn(n, k, 384, generator=g), torch.randn(n, k, 512, generator=g))
    gt = tuple(torch.softmax(torch.randn(n, k, w, generator=g) * 3, -1) for w in (384, 512))
    gt[0][0, :3] = 0
    gt[1][0, :3] = 0
    weight = torch.rand(n, k, generator=g)
    weight[0, :3] = 0
    return pred, gt, weight


def image_batch(n: int, seed: int = 0) -> torch.Tensor:
    """A normalised image batch ``(N, 3, 256, 192)`` with some structure (not only noise)."""
    g = torch.Generator().manual_seed(seed)
    base = torch.randn(n, 3, 8, 6, generator=g)
    return torch.nn.functional.interpolate(base, size=(256, 192), mode='bilinear') + 0.3 * torch.randn(
        n, 3, 256, 192, generator=g)


def predict_samples(n: int) -> list[PoseDataSample]:
    """``n`` COCO test-time data samples (one box each, crops of 240x320 image pixels at different centres)."""
    samples = []
    for i in range(n):
        sample = PoseDataSample(metainfo=dict(
            flip_indices=flip_indices(), input_size=(192, 256), input_center=np.array([300. + 10 * i, 200.]),
            input_scale=np.array([240., 320.]), id=i, img_id=i))
        sample.gt_instances = InstanceData(bboxes=np.array([[200., 50., 400., 350.]]), bbox_scores=np.ones(1))
        samples.append(sample)
    return samples


def training_batch(n: int, seed: int = 0) -> tuple[torch.Tensor, list[PoseDataSample]]:
    """``image_batch(n, seed)`` and ``n`` training samples whose SimCC labels encode random keypoints inside the
    192x256 crop (about 20% invisible)."""
    codec = SimCCLabel(input_size=(192, 256), sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=False)
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(n):
        kpts = rng.uniform([10, 10], [182, 246], size=(1, 17, 2))
        vis = (rng.uniform(size=(1, 17)) > 0.2).astype(np.float32)
        enc = codec.encode(kpts, vis)
        sample = PoseDataSample(metainfo=dict(flip_indices=flip_indices(), input_size=(192, 256)))
        sample.gt_instance_labels = InstanceData(**{k: torch.from_numpy(v) for k, v in enc.items()})
        samples.append(sample)
    return image_batch(n, seed), samples

"""Our numpy/OpenCV inference path against MMPose 1.x's own functions (skipped where MMPose is not installed).

Covers: box -> center/scale -> aspect fix -> affine crop -> normalised input (MMPose's pipeline and data
preprocessor), the warp matrix, SimCC decoding, OKS and OKS-NMS.
"""
import numpy as np
import pytest

from rtmpose.codecs.simcc_decode import simcc_decode
from rtmpose.inference.pose_nms import oks_iou, oks_nms
from rtmpose.inference.preprocess import (
    bboxes_to_center_scale,
    crop_batch,
    get_warp_matrix,
    keypoints_to_image,
    normalize_batch,
)

pytest.importorskip('mmpose', reason='MMPose is not installed; parity with it cannot be checked')

INPUT_SIZE = (192, 256)
MEAN, STD = (123.675, 116.28, 103.53), (58.395, 57.12, 57.375)


def _image():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 256, size=(60, 80, 3), dtype=np.uint8)
    import cv2
    return cv2.resize(base, (400, 300), interpolation=cv2.INTER_LINEAR)  # smooth, so tiny warp differences stay tiny


def test_crop_and_input_match_mmpose_pipeline():
    import torch
    from mmengine.model import ImgDataPreprocessor  # what mmpose's PoseDataPreprocessor normalises with
    from mmpose.datasets.transforms import GetBBoxCenterScale, TopdownAffine

    image = _image()
    boxes = np.array([[50., 40., 150., 280.], [120., 10., 390., 120.], [-20., -30., 60., 90.]])
    centers, scales = bboxes_to_center_scale(boxes, INPUT_SIZE, 1.25)
    crops, _ = crop_batch(image, centers, scales, INPUT_SIZE)
    ours = normalize_batch(crops, MEAN, STD, to_rgb=True)
    preprocessor = ImgDataPreprocessor(mean=MEAN, std=STD, bgr_to_rgb=True)
    for i, box in enumerate(boxes):
        results = dict(img=image.copy(), bbox=box[None].astype(np.float32))
        results = TopdownAffine(input_size=INPUT_SIZE)(GetBBoxCenterScale(padding=1.25)(results))
        np.testing.assert_array_equal(results['bbox_center'][0], centers[i])
        np.testing.assert_array_equal(results['bbox_scale'][0], scales[i])
        np.testing.assert_array_equal(results['img'], crops[i])  # issue 23: the same float32 warp matrix
        tensor = torch.from_numpy(np.ascontiguousarray(results['img'].transpose(2, 0, 1)))
        ref_input = preprocessor(dict(inputs=[tensor]), training=False)['inputs'][0].numpy()
        np.testing.assert_allclose(ref_input, ours[i], atol=1e-5)


@pytest.mark.parametrize('rot', [0.0, 17.0, -60.0])
def test_warp_matrix_matches_mmpose(rot):
    from mmpose.structures.bbox import get_warp_matrix as mmpose_get_warp_matrix
    rng = np.random.default_rng(3)
    for _ in range(200):  # float32 centers and scales, as MMPose's datasets hold them
        center, scale = rng.uniform(-100, 900, 2).astype(np.float32), rng.uniform(1, 600, 2).astype(np.float32)
        ref = mmpose_get_warp_matrix(center, scale, rot, output_size=INPUT_SIZE)
        np.testing.assert_array_equal(get_warp_matrix(center, scale, rot, INPUT_SIZE), ref)


def test_keypoints_back_to_image_like_topdown_estimator():
    """``TopdownPoseEstimator.add_pred_to_datasample``: kp / input_size * scale + center - 0.5 * scale."""
    rng = np.random.default_rng(2)
    kpts = rng.uniform(0, 192, size=(3, 17, 2))
    centers, scales = rng.uniform(50, 300, size=(3, 2)), rng.uniform(50, 300, size=(3, 2))
    ref = kpts / np.array(INPUT_SIZE) * scales[:, None] + centers[:, None] - 0.5 * scales[:, None]
    np.testing.assert_allclose(keypoints_to_image(kpts, centers, scales, INPUT_SIZE), ref, rtol=1e-5, atol=1e-3)


def test_simcc_decode_matches_mmpose_codec():
    from mmpose.codecs import SimCCLabel
    rng = np.random.default_rng(1)
    simcc_x = rng.normal(size=(4, 17, 384)).astype(np.float32)
    simcc_y = rng.normal(size=(4, 17, 512)).astype(np.float32)
    simcc_x[1, 2] -= 20.0
    codec = SimCCLabel(input_size=INPUT_SIZE, sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=False,
                       use_dark=False)
    ref_kpts, ref_scores = codec.decode(simcc_x, simcc_y)
    kpts, scores = simcc_decode(simcc_x, simcc_y, 2.0)
    np.testing.assert_allclose(kpts, ref_kpts)
    np.testing.assert_allclose(scores, ref_scores)


def test_oks_and_nms_match_mmpose():
    from mmpose.evaluation.functional.nms import oks_iou as mmpose_oks_iou
    from mmpose.evaluation.functional.nms import oks_nms as mmpose_oks_nms
    rng = np.random.default_rng(4)
    base = rng.uniform(0, 120, size=(3, 17, 2)) + np.array([[[0, 0]], [[200, 0]], [[400, 50]]])
    poses = np.concatenate([base, base + rng.normal(scale=3.0, size=base.shape)])  # (6, 17, 2)
    kpt_scores = rng.uniform(0.2, 1.0, size=(6, 17))
    areas = rng.uniform(8000, 15000, size=6)
    scores = rng.permutation(np.linspace(0.4, 0.95, 6))
    flat = np.concatenate([poses, kpt_scores[..., None]], axis=-1).reshape(6, -1)
    for vis_thr in (None, 0.5):
        ref = mmpose_oks_iou(flat[0], flat[1:], areas[0], areas[1:], vis_thr=vis_thr)
        ours = oks_iou(poses[0], poses[1:], areas[0], areas[1:], vis_thr=vis_thr, scores_a=kpt_scores[0],
                       scores_b=kpt_scores[1:])
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-7)  # MMPose returns float32
    db = [dict(keypoints=np.concatenate([p, s[:, None]], axis=1), score=sc, area=a)
          for p, s, sc, a in zip(poses, kpt_scores, scores, areas)]
    for thr in (0.3, 0.5, 0.9):
        np.testing.assert_array_equal(oks_nms(poses, scores, areas, thr=thr), mmpose_oks_nms(db, thr))

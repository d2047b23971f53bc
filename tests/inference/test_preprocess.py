"""Boxes -> crops -> network input and keypoints back to the image."""
import cv2
import numpy as np
import pytest

from rtmpose.inference.preprocess import (
    bbox_xyxy2cs,
    bboxes_to_center_scale,
    clip_boxes,
    crop_batch,
    fix_aspect_ratio,
    get_warp_matrix,
    keypoints_bbox,
    keypoints_to_image,
    normalize_batch,
    valid_boxes,
    warp_points,
)

INPUT_SIZE = (192, 256)


def _three_point_warp(center, scale, rot, output_size):
    """MMPose's construction (three point pairs, float32 cv2.getAffineTransform), written out for reference: our
    code builds the same float32 points vectorised, so the matrices are equal to the bit."""
    def rotate(pt, rad):
        return np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]]) @ pt

    def third(a, b):
        d = a - b
        return b + np.r_[-d[1], d[0]]

    center, scale = np.float32(center), np.float32(scale)
    dst_w, dst_h = output_size
    src_dir = rotate(np.array([scale[0] * -0.5, 0.]), np.deg2rad(rot))
    src = np.zeros((3, 2), np.float32)
    dst = np.zeros((3, 2), np.float32)
    src[0], src[1] = center, center + src_dir
    dst[0], dst[1] = [dst_w * .5, dst_h * .5], [dst_w * .5 - dst_w * .5, dst_h * .5]
    src[2], dst[2] = third(src[0], src[1]), third(dst[0], dst[1])
    return cv2.getAffineTransform(np.float32(src), np.float32(dst))


def test_bbox_xyxy2cs_and_aspect_ratio():
    centers, scales = bbox_xyxy2cs(np.array([[10., 20., 50., 120.], [0., 0., 300., 100.]]), padding=1.25)
    np.testing.assert_allclose(centers, [[30, 70], [150, 50]])
    np.testing.assert_allclose(scales, [[50, 125], [375, 125]])
    center, scale = bbox_xyxy2cs(np.array([10., 20., 50., 120.]))
    assert center.shape == scale.shape == (2,)
    fixed = fix_aspect_ratio(scales, 192 / 256)
    np.testing.assert_allclose(fixed, [[125 * 0.75, 125], [375, 500]])  # tall box widens, wide box heightens
    np.testing.assert_allclose(fixed[:, 0] / fixed[:, 1], 0.75)
    _, fixed2 = bboxes_to_center_scale(np.array([[10., 20., 50., 120.]]), INPUT_SIZE, 1.25)
    np.testing.assert_allclose(fixed2, fixed[:1])


@pytest.mark.parametrize('rot', [0.0, 30.0, -75.0])
def test_warp_matrix_matches_three_point_construction(rot):
    center, scale = (123.4, 77.7), (90.0, 120.0)
    ours = get_warp_matrix(center, scale, rot, INPUT_SIZE)
    ref = _three_point_warp(center, scale, rot, INPUT_SIZE)
    np.testing.assert_array_equal(ours, ref)
    np.testing.assert_allclose(warp_points(center, ours), [96, 128], atol=1e-4)  # the center is float32


def test_point_round_trip_within_float32_rounding():
    """Keypoints mapped back land where the crop's warp took them from, up to float32 rounding: the warp is built,
    as MMPose's, from float32 points (the box's left edge ``center - w / 2``), whose rounding (half an ulp of
    ``|center| + w``) scales the distance to the center by a relative ``eps * (|center| + w) / w``."""
    rng = np.random.default_rng(0)
    x1y1 = rng.uniform(-50, 400, size=(64, 2))
    boxes = np.concatenate([x1y1, x1y1 + rng.uniform(5, 300, size=(64, 2))], axis=1)
    centers, scales = bboxes_to_center_scale(boxes, INPUT_SIZE)
    points = rng.uniform(-100, 700, size=(64, 17, 2))
    _, warps = crop_batch(np.zeros((4, 4, 3), np.uint8), centers, scales, INPUT_SIZE)
    in_crop = np.stack([warp_points(p, w) for p, w in zip(points, warps)])
    back = keypoints_to_image(in_crop, centers, scales, INPUT_SIZE)
    eps = np.finfo(np.float32).eps
    edge = eps * (np.abs(centers) + scales[:, :1]).max(axis=1) / scales[:, 0]  # (N,) relative zoom rounding
    bound = 2 * edge[:, None, None] * (np.abs(points - centers[:, None]) + 1) + eps * np.abs(points)
    assert (np.abs(back - points) <= bound).all() and np.abs(back - points).max() < 1e-3
    np.testing.assert_allclose(warps[5], get_warp_matrix(centers[5], scales[5], 0.0, INPUT_SIZE))


def test_crop_pixels_follow_the_warp():
    """A bright dot in the image lands in the crop where the warp says, and maps back to its image position."""
    image = np.zeros((300, 400, 3), np.uint8)
    dot = np.array([231.0, 147.0])
    cv2.circle(image, tuple(int(v) for v in dot), 3, (255, 255, 255), -1)
    boxes = np.array([[180., 60., 300., 260.], [150., 100., 260., 190.]])
    centers, scales = bboxes_to_center_scale(boxes, INPUT_SIZE)
    crops, warps = crop_batch(image, centers, scales, INPUT_SIZE)
    assert crops.shape == (2, 256, 192, 3) and crops.dtype == np.uint8
    for crop, warp, center, scale in zip(crops, warps, centers, scales):
        gray = crop[..., 0].astype(float)
        ys, xs = np.nonzero(gray > 0)
        found = np.array([(xs * gray[ys, xs]).sum(), (ys * gray[ys, xs]).sum()]) / gray[ys, xs].sum()
        assert np.abs(found - warp_points(dot, warp)).max() < 0.6
        back = keypoints_to_image(found[None, None], center[None], scale[None], INPUT_SIZE)[0, 0]
        assert np.abs(back - dot).max() < 0.6 * scale[0] / INPUT_SIZE[0]


def test_normalize_batch_matches_naive():
    rng = np.random.default_rng(1)
    crops = rng.integers(0, 256, size=(3, 8, 6, 3), dtype=np.uint8)
    mean, std = (123.675, 116.28, 103.53), (58.395, 57.12, 57.375)
    out = normalize_batch(crops, mean, std, to_rgb=True)
    assert out.shape == (3, 3, 8, 6) and out.dtype == np.float32 and out.flags['C_CONTIGUOUS']
    for n in range(3):
        for c in range(3):
            expected = (crops[n, :, :, 2 - c].astype(np.float64) - mean[c]) / std[c]
            np.testing.assert_allclose(out[n, c], expected, rtol=1e-5, atol=1e-5)
    bgr = normalize_batch(crops, mean, std, to_rgb=False)
    np.testing.assert_allclose(bgr[0, 0], (crops[0, :, :, 0] - mean[0]) / std[0], rtol=1e-5, atol=1e-5)


def test_box_helpers():
    boxes = clip_boxes(np.array([[-10, -5, 50, 40], [90, 90, 150, 150], [120, 10, 130, 20]]), (100, 100, 3))
    np.testing.assert_allclose(boxes, [[0, 0, 50, 40], [90, 90, 100, 100], [100, 10, 100, 20]])
    np.testing.assert_array_equal(valid_boxes(boxes, 1.0), [True, True, False])
    assert not valid_boxes(np.array([[0, 0, np.nan, 5]])).any()
    kpts = np.array([[[10, 20], [30, 5], [50, 60]], [[0, 0], [1, 1], [2, 2]]], float)
    scores = np.array([[0.9, 0.8, 0.1], [0.9, 0.1, 0.1]])
    box, ok = keypoints_bbox(kpts, scores, thr=0.3, min_keypoints=2)
    np.testing.assert_allclose(box[0], [10, 5, 30, 20])
    np.testing.assert_array_equal(ok, [True, False])

"""OKS and greedy OKS pose NMS on hand-built poses."""
import numpy as np
import pytest

from rtmpose.inference.pose_nms import oks_iou, oks_nms
from rtmpose.metainfo import COCO17


def _person(offset, scale=100.0, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, size=(17, 2)) * scale + np.asarray(offset, float)


def test_oks_matches_naive_formula():
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 100, size=(17, 2))
    b = a + rng.normal(scale=5.0, size=(4, 17, 2))
    area_a, areas_b = 5000.0, np.array([4000.0, 5000.0, 6000.0, 100.0])
    ours = oks_iou(a, b, area_a, areas_b)
    variances = (COCO17.sigmas * 2) ** 2
    for n in range(4):
        d2 = ((b[n] - a) ** 2).sum(-1)
        e = d2 / variances / ((area_a + areas_b[n]) / 2 + np.spacing(1)) / 2
        assert ours[n] == pytest.approx(np.exp(-e).mean(), rel=1e-12)
    assert oks_iou(a, a[None], area_a, [area_a])[0] == pytest.approx(1.0)


def test_oks_visibility_threshold():
    a = np.zeros((17, 2))
    b = np.zeros((1, 17, 2))
    b[0, 5:] = 1000.0  # far away except the first five keypoints
    scores_a = np.ones(17)
    scores_b = np.zeros((1, 17))
    scores_b[0, :5] = 1.0
    assert oks_iou(a, b, 1e4, [1e4])[0] == pytest.approx(5 / 17, abs=1e-6)
    assert oks_iou(a, b, 1e4, [1e4], vis_thr=0.5, scores_a=scores_a, scores_b=scores_b)[0] == pytest.approx(1.0)
    assert oks_iou(a, b, 1e4, [1e4], vis_thr=0.5, scores_a=scores_a, scores_b=np.zeros((1, 17)))[0] == 0.0
    with pytest.raises(ValueError):
        oks_iou(a, b, 1e4, [1e4], vis_thr=0.5)


def test_nms_removes_duplicates_keeps_distinct_people_in_score_order():
    alice = _person((0, 0), seed=1)
    bob = _person((300, 0), seed=2)
    rng = np.random.default_rng(9)
    poses = np.stack([alice + rng.normal(scale=1.0, size=alice.shape),  # duplicate of alice, lower score
                      bob,
                      alice,
                      alice + rng.normal(scale=1.0, size=alice.shape)])  # another duplicate
    scores = np.array([0.7, 0.8, 0.9, 0.6])
    areas = np.full(4, 100.0 * 100.0)
    keep = oks_nms(poses, scores, areas, thr=0.9)
    np.testing.assert_array_equal(keep, [2, 1])  # best alice, then bob; both duplicates gone
    assert keep.dtype == np.int64


def test_nms_two_distinct_people_and_edge_cases():
    poses = np.stack([_person((0, 0), seed=1), _person((150, 40), seed=2)])
    np.testing.assert_array_equal(oks_nms(poses, [0.5, 0.9], [1e4, 1e4], thr=0.5), [1, 0])
    np.testing.assert_array_equal(oks_nms(poses[:1], [0.5], [1e4]), [0])
    assert oks_nms(np.zeros((0, 17, 2)), np.zeros(0), np.zeros(0)).shape == (0,)
    # ties keep the input order
    np.testing.assert_array_equal(oks_nms(poses, [0.5, 0.5], [1e4, 1e4]), [0, 1])
    # other keypoint counts need sigmas
    with pytest.raises(ValueError):
        oks_nms(np.zeros((2, 5, 2)), [1, 1], [1, 1])
    np.testing.assert_array_equal(oks_nms(np.zeros((2, 5, 2)), [1, 2], [1, 1], sigmas=np.full(5, 0.1)), [1])


def greedy_iou_nms(boxes: np.ndarray, scores: np.ndarray, thr: float) -> list[int]:
    """The rule written out: by decreasing score (ties in input order), keep a box unless it overlaps a kept one by
    IoU > thr."""
    from rtmpose.inference.tracker import box_iou

    iou = box_iou(boxes, boxes)
    keep: list[int] = []
    for i in np.argsort(-scores, kind='stable'):
        if all(iou[i, j] <= thr for j in keep):
            keep.append(int(i))
    return keep


@pytest.mark.parametrize('seed', range(8))
def test_box_nms_is_the_greedy_rule(seed):
    """The one box NMS (OpenCV's, also behind the detectors) keeps exactly what the greedy IoU rule keeps, with
    duplicated scores and boxes among the inputs."""
    from rtmpose.inference.box_nms import nms_indices

    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (30, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(5, 60, (30, 2))], axis=1).astype(np.float32)
    boxes[5] = boxes[4]
    scores = rng.choice([0.2, 0.5, 0.7, 0.9], 30).astype(np.float32)
    for thr in (0.3, 0.5, 0.7):
        assert nms_indices(boxes, scores, thr).tolist() == greedy_iou_nms(boxes, scores, thr)

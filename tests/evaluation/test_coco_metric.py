"""Evaluation wiring on the real COCO images and annotations in ../shared: our config's test pipeline and CocoMetric
give AP 1.0 to predictions equal to the ground truth, with ground-truth boxes and with real detector boxes."""
import json

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmpose.registry import DATASETS, METRICS

from rtmpose.testing.reference import scope
from rtmpose.utils import MissingInputError
from tests.paths import CONFIGS


def shared_test_cfg(shared_dir, bbox_file: str | None) -> Config:
    cfg = Config.fromfile(str(CONFIGS / 'rtmpose-m_coco.py'))
    root = str(shared_dir / 'data/coco') + '/'
    cfg.test_dataloader.dataset.update(data_root=root, ann_file='test_coco.json', data_prefix=dict(img=''),
                                       bbox_file=bbox_file and root + bbox_file)
    cfg.test_evaluator.ann_file = root + 'test_coco.json'
    return cfg


def iou(box, ann: dict) -> float:
    """IoU of ``box`` (x1, y1, x2, y2) and the xywh ``bbox`` of a COCO annotation."""
    x1, y1, x2, y2 = box
    ax, ay, aw, ah = ann['bbox']
    ix = max(0, min(x2, ax + aw) - max(x1, ax))
    iy = max(0, min(y2, ay + ah) - max(y1, ay))
    return ix * iy / ((x2 - x1) * (y2 - y1) + aw * ah - ix * iy)


def perfect_predictions(dataset, by_image: dict) -> list[dict]:
    """Pack each test sample with the ground-truth keypoints of the person its box covers best as prediction."""
    samples = []
    for i in range(len(dataset)):
        sample = pseudo_collate([dataset[i]])['data_samples'][0]
        box = sample.gt_instances.bboxes[0]
        best = max(by_image[sample.img_id], key=lambda ann: iou(box, ann))
        kpts = np.asarray(best['keypoints'], dtype=np.float32).reshape(1, -1, 3)
        # a detector box on no annotated person gets keypoint scores 0, so CocoMetric ranks it last
        hit = iou(box, best) >= 0.5 and best['num_keypoints'] > 0
        record = sample.to_dict()
        record['pred_instances'] = dict(keypoints=kpts[..., :2],
                                        keypoint_scores=np.full((1, 17), float(hit), np.float32),
                                        bbox_scores=np.ones(1, np.float32))
        samples.append(record)
    return samples


@pytest.mark.parametrize('bbox_file', [None, 'test_coco_det_AP_H_56.json'], ids=['gt-boxes', 'detector-boxes'])
def test_ground_truth_predictions_score_ap_1(shared_dir, bbox_file):
    cfg = shared_test_cfg(shared_dir, bbox_file)
    with scope('rtmpose'):
        dataset = DATASETS.build(cfg.test_dataloader.dataset)
        metric = METRICS.build(cfg.test_evaluator)
    assert type(dataset).__module__.startswith('rtmpose.') and type(metric).__module__.startswith('rtmpose.')
    metric.dataset_meta = dataset.metainfo
    by_image = {}
    for ann in json.loads((shared_dir / 'data/coco/test_coco.json').read_text())['annotations']:
        by_image.setdefault(ann['image_id'], []).append(ann)
    samples = perfect_predictions(dataset, by_image)
    # 12 annotated persons with ground-truth boxes; every detector box with detections (a box per prediction)
    assert len(samples) == 12 if bbox_file is None else len(samples) > 12
    metric.process([], samples)
    results = metric.evaluate(len(samples))
    assert results['coco/AP'] == pytest.approx(1.0)


def test_missing_annotation_file_names_path_and_fix(shared_dir, tmp_path):
    cfg = shared_test_cfg(shared_dir, None)
    cfg.test_dataloader.dataset.ann_file = 'nope.json'
    with scope('rtmpose'), pytest.raises(MissingInputError, match=r"nope\.json.*Download COCO 2017"):
        DATASETS.build(cfg.test_dataloader.dataset)
    with scope('rtmpose'), pytest.raises(MissingInputError, match='ground-truth annotation file not found'):
        METRICS.build(dict(type='CocoMetric', ann_file=str(tmp_path / 'missing.json')))

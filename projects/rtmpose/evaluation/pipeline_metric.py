"""Score pipeline poses (:class:`~rtmpose.evaluation.pipeline_eval.PosePrediction`) with MMPose's own metric for the
keypoint set, fed exactly what MMPose's top-down test feeds it (so the numbers are ``mim test``'s).

The keypoint set is MMPose's dataset metainfo (``configs/_base_/datasets/<name>.py``); the metric is
``CocoWholeBodyMetric`` for COCO-WholeBody and ``CocoMetric`` (with the set's OKS sigmas) otherwise, unless named.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: The dataset metainfo assumed for a keypoint count when none is named.
DEFAULT_DATASETS = {17: 'coco', 133: 'coco_wholebody'}
#: The metric of a dataset when none is named (``CocoMetric`` otherwise).
DATASET_METRICS = {'coco_wholebody': 'CocoWholeBodyMetric'}


def load_dataset_meta(dataset: str | Path | None, num_keypoints: int) -> dict[str, Any]:
    """MMPose's parsed metainfo of ``dataset``: a name of MMPose's ``configs/_base_/datasets/`` (``'coco'``,
    ``'coco_wholebody'``, ``'ap10k'``, ``'crowdpose'``...) or a path to such a file; ``None`` picks it from
    ``num_keypoints`` (17: COCO, 133: COCO-WholeBody).

    Raises:
        ValueError: no dataset given for another keypoint count, or the dataset has a different one.
        FileNotFoundError: no such metainfo file.
    """
    from mmpose.datasets.datasets.utils import parse_pose_metainfo

    if dataset is None:
        if num_keypoints not in DEFAULT_DATASETS:
            raise ValueError(f'the pose model predicts {num_keypoints} keypoints: name their dataset metainfo '
                             f'(--dataset ap10k, crowdpose... or a configs/_base_/datasets/*.py file) so that the '
                             f'metric knows their OKS sigmas')
        dataset = DEFAULT_DATASETS[num_keypoints]
    path = Path(dataset) if str(dataset).endswith('.py') else Path('configs/_base_/datasets') / f'{dataset}.py'
    try:
        meta = parse_pose_metainfo({'from_file': str(path)})
    except FileNotFoundError as err:
        raise FileNotFoundError(f'no dataset metainfo {str(dataset)!r}: give a name of MMPose\'s '
                                f'configs/_base_/datasets/ (coco, coco_wholebody, ap10k...) or a file') from err
    if meta['num_keypoints'] != num_keypoints:
        raise ValueError(f'dataset {meta["dataset_name"]!r} has {meta["num_keypoints"]} keypoints, the pose model '
                         f'predicts {num_keypoints}')
    return meta


def build_metric(ann_file: str | Path, dataset_meta: dict[str, Any], metric: str | None = None,
                 outfile_prefix: str | Path | None = None, **kwargs: Any) -> Any:
    """MMPose's metric ``metric`` (default: by dataset) on ``ann_file`` with ``dataset_meta``; ``outfile_prefix``
    keeps its ``<prefix>.keypoints.json`` results file; ``kwargs`` are the metric's own arguments."""
    from mmpose.registry import METRICS

    name = metric or DATASET_METRICS.get(dataset_meta['dataset_name'], 'CocoMetric')
    built = METRICS.build({'type': name, 'ann_file': str(ann_file),
                           'outfile_prefix': None if outfile_prefix is None else str(outfile_prefix), **kwargs})
    built.dataset_meta = dataset_meta
    return built


def data_sample(prediction: Any) -> dict[str, Any]:
    """The data sample MMPose's top-down test gives the metric for one pose."""
    return {'id': prediction.instance_id, 'img_id': prediction.image_id, 'category_id': 1,
            'pred_instances': {'keypoints': np.asarray(prediction.keypoints, np.float32)[None],
                               'keypoint_scores': np.asarray(prediction.scores, np.float32)[None]},
            'gt_instances': {'bbox_scores': np.array([prediction.bbox_score], np.float32),
                             'bbox_scales': np.asarray(prediction.bbox_scale, np.float32).reshape(1, 2)}}


def score_predictions(predictions: Sequence[Any], metric: Any) -> dict[str, float]:
    """The metric's results (``'coco/AP'``, ``'coco/AP .5'``...) for ``predictions``.

    Raises:
        ValueError: there are no predictions (no person was found: nothing to score).
    """
    if not predictions:
        raise ValueError('no poses to score: the detector found no person (lower its score threshold?)')
    metric.results.clear()
    metric.process([], [data_sample(p) for p in predictions])
    return {key: float(value) for key, value in metric.evaluate(len(predictions)).items()}

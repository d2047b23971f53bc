"""Score pipeline poses (:class:`~rtmpose.evaluation.pipeline_eval.PosePrediction`) with MMPose's own metric for the
keypoint set, fed exactly what MMPose's top-down test feeds it (so the numbers are ``mim test``'s).

The keypoint set is the model's own or one named (:func:`~rtmpose.metainfo.resolve_keypoint_set`), given to the
metric as MMPose's ``parse_pose_metainfo`` gives it; the metric is ``CocoWholeBodyMetric`` for COCO-WholeBody and
``CocoMetric`` (with the set's OKS sigmas) otherwise, unless named.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..metainfo import KeypointSet, resolve_keypoint_set

#: The metric of a dataset when none is named (``CocoMetric`` otherwise).
DATASET_METRICS = {'coco_wholebody': 'CocoWholeBodyMetric'}


def load_dataset_meta(dataset: KeypointSet | str | Path | None, num_keypoints: int) -> dict[str, Any]:
    """MMPose's parsed metainfo (``dataset_meta``) of the keypoint set ``dataset`` (a :class:`KeypointSet`, a name
    or a metainfo file; ``None``: the default set of ``num_keypoints``), which must have OKS sigmas.

    Raises:
        ValueError: an unknown set, no set given for a keypoint count without a default, a set of another count,
            or one without OKS sigmas.
    """
    kset = resolve_keypoint_set(dataset, num_keypoints, option='--dataset')
    kset.require_sigmas('the COCO keypoint metric (OKS)')
    return kset.dataset_meta()


def build_metric(ann_file: str | Path, dataset_meta: dict[str, Any], metric: str | None = None,
                 outfile_prefix: str | Path | None = None, **kwargs: Any) -> Any:
    """MMPose's metric ``metric`` (default: by dataset) on ``ann_file`` with ``dataset_meta``; ``outfile_prefix``
    keeps its ``<prefix>.keypoints.json`` results file; ``kwargs`` are the metric's own arguments."""
    from mmengine.registry import DefaultScope
    from mmpose.registry import METRICS

    name = metric or DATASET_METRICS.get(dataset_meta['dataset_name'], 'CocoMetric')
    with DefaultScope.overwrite_default_scope('mmpose'):  # not mmdet's CocoMetric after a detector config was built
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

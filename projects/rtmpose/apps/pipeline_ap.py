"""Pipeline AP (RTMPose paper, table of RTMDet-nano + RTMPose): a detector and a pose model over a COCO-format
image set, scored with MMPose's metric for the keypoint set (so it needs the training stack:
``pip install 'rtmpose[train]'``).

    rtmpose pipeline-ap ANN_FILE [--img-dir DIR] --pose POSE_MODEL
        (--det DET_MODEL | --gt-boxes | --det-file DETECTIONS.json) [--backend B] [--det-backend B]
        [--pose-checkpoint PTH] [--det-checkpoint PTH] [--det-score-thr 0.3] [--det-interval N [--smooth]]
        [--dataset coco] [--metric CocoMetric] [--work-dir DIR] [--bbox-file OUT.json] [--threads N] [--device cpu]

In a checkout, ``python tools/pipeline_ap.py`` takes the same arguments. Models are what
:func:`rtmpose.hub.build_pose_model` / :func:`~rtmpose.hub.build_detector` take (ONNX file or MMDeploy SDK folder,
``.param``, ``.engine``, or an OpenMMLab config with its checkpoint) on any backend.

Boxes: ``--det`` runs the detector on every image and writes its boxes as a ``bbox_file`` (COCO detection results,
``--bbox-file``, default ``<work-dir>/bbox_file.json``) which ``mim test`` reads as it is
(``--cfg-options test_dataloader.dataset.bbox_file=...``); the pose model then runs on the boxes read back from that
file, so the AP is the one ``mim test`` gives with it (no flip test). ``--gt-boxes`` takes the ground-truth boxes as
MMPose's test does without a ``bbox_file``; ``--det-file`` takes an existing detection file (e.g. the AP_H_56 boxes).

``--det-interval N`` runs each video of a sequence set (images with ``vid_id`` and ``frame_id``, PoseTrack18's
layout) through :class:`~rtmpose.inference.PoseTracker` with the detector every N frames and boxes from the previous
poses in between, so the accuracy cost of skipping detections can be measured: compare ``--det-interval 1`` with
``--det-interval 5``. ``--smooth`` adds the One-Euro filter.

The metric: ``CocoMetric`` with the OKS sigmas of the keypoint set (``--dataset``: the name of a metainfo file of
``configs/_base_/datasets/``, this repository's or MMPose's, or such a file; default: the model's own keypoint
metadata, else COCO for 17 keypoints and COCO-WholeBody for 133), ``CocoWholeBodyMetric`` for COCO-WholeBody;
``--metric`` names another.
Writes ``<work-dir>/keypoints.keypoints.json`` (the poses, COCO results) and ``<work-dir>/pipeline_ap.json`` (the
numbers and the settings) and prints the metric, computed as ``mim test`` computes it: with ``--backend torch`` and
``mim test``'s checkpoint, all ten figures equal its (the crops are MMPose's to the bit). On another backend, the
figures per size, AP / AR (M) and (L), can differ a little: they take a pose's area from the box of all its keypoints
(COCO's rule), also of keypoints no OKS scores, whose SimCC vectors can have two nearly equal peaks.

Exit status: 0 done, 1 bad input or model (the message says why), 2 bad arguments.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..backends import BACKENDS
from ..evaluation.image_set import ImageSet
from ..evaluation.pipeline_eval import detect_image_set, estimate_poses, track_image_set, write_bbox_file
from ..hub import build_detector, build_pose_model
from ..inference import PoseTracker, TrackerConfig
from ..media.sources import InputError
from .extras import explain, install_hint


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    add = parser.add_argument
    add('ann_file', type=Path, help='COCO-format keypoint annotation file')
    add('--img-dir', type=Path, help='folder of the images (default: the annotation file\'s folder)')
    add('--pose', required=True, help='pose model: ONNX / MMDeploy SDK folder / .param / .engine / config .py')
    boxes = parser.add_mutually_exclusive_group(required=True)
    boxes.add_argument('--det', help='detector: ONNX / MMDeploy SDK folder / .param / .engine / config .py')
    boxes.add_argument('--gt-boxes', action='store_true', help='the ground-truth person boxes instead')
    boxes.add_argument('--det-file', type=Path, help='an existing detection results file instead')
    add('--backend', choices=list(BACKENDS), help='pose backend (default: from the --pose file)')
    add('--det-backend', choices=list(BACKENDS), help='detector backend (default: from the --det file)')
    add('--pose-checkpoint', help='pose checkpoint (torch)')
    add('--det-checkpoint', help='detector checkpoint (torch)')
    add('--det-score-thr', type=float, default=None, help='detector score threshold (default: the detector\'s)')
    add('--det-interval', type=int, default=None, help='track each video, detector every N frames')
    add('--smooth', action='store_true', help='One-Euro smoothing (with --det-interval)')
    add('--dataset', help='keypoint set: MMPose dataset metainfo name or file (default: by keypoint count)')
    add('--metric', help='MMPose metric type (default: CocoMetric, CocoWholeBodyMetric for COCO-WholeBody)')
    add('--work-dir', type=Path, default=Path('work_dirs/pipeline_ap'))
    add('--bbox-file', type=Path, help='where the detector boxes go (default: <work-dir>/bbox_file.json)')
    add('--device', default='cpu')
    add('--threads', type=int, default=None, help='inference threads per model')
    args = parser.parse_args(argv)
    if args.det_interval is not None and args.det_interval < 1:
        parser.error('--det-interval must be >= 1')
    if args.det_interval is not None and args.det is None:
        parser.error('--det-interval needs a detector (--det): it sets how often the detector runs')
    if args.smooth and args.det_interval is None:
        parser.error('--smooth smooths tracks: add --det-interval N')
    return args


def build_models(args: argparse.Namespace) -> tuple[Any, Any]:
    """The pose model and the detector (``None`` without ``--det``)."""
    pose = build_pose_model(args.pose, args.backend, args.device, args.threads, args.pose_checkpoint,
                            metainfo=args.dataset)  # None: the model's own metadata
    if args.det is None:
        return pose, None
    settings = {} if args.det_score_thr is None else {'score_thr': args.det_score_thr}
    detector = build_detector(args.det, args.det_backend, args.device, args.threads, args.det_checkpoint,
                              **settings)
    return pose, detector


def _progress(what: str):
    def report(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            print(f'{what}: {done}/{total} images', file=sys.stderr)
    return report


def predict(args: argparse.Namespace, image_set: ImageSet, pose: Any, detector: Any,
            sigmas: Any) -> tuple[list, dict[str, Any]]:
    """The poses of the set, and what was done (boxes, detector frames)."""
    if args.det_interval is not None:
        tracker = PoseTracker(detector, pose, TrackerConfig(det_interval=args.det_interval, smooth=args.smooth,
                                                            sigmas=sigmas))
        predictions, records = track_image_set(tracker, image_set, _progress('tracking'))
        bbox_file = write_bbox_file(records, args.bbox_file or args.work_dir / 'bbox_file.json')
        return predictions, {'boxes': 'tracker', 'bbox_file': str(bbox_file), 'det_frames': tracker.det_frames,
                             'det_interval': args.det_interval, 'smooth': args.smooth}
    if args.gt_boxes:
        boxes, info = image_set.ground_truth_boxes(), {'boxes': 'ground truth'}
    elif args.det_file is not None:
        boxes, info = image_set.detection_boxes(args.det_file), {'boxes': 'file', 'bbox_file': str(args.det_file)}
    else:
        records = detect_image_set(detector, image_set, _progress('detecting'))
        bbox_file = write_bbox_file(records, args.bbox_file or args.work_dir / 'bbox_file.json')
        boxes, info = image_set.detection_boxes(bbox_file), {'boxes': 'detector', 'bbox_file': str(bbox_file),
                                                              'det_frames': len(image_set.images)}
    return estimate_poses(pose, image_set, boxes, _progress('pose')), info


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build, predict, score; returns the summary written to ``<work-dir>/pipeline_ap.json``."""
    from ..evaluation.pipeline_metric import build_metric, load_dataset_meta, score_predictions

    image_set = ImageSet(args.ann_file, args.img_dir)
    missing = image_set.missing_images()
    if missing:
        raise InputError(f'{len(missing)} images of {args.ann_file} are missing, e.g. {missing[0]}: pass the '
                         f'image folder with --img-dir')
    pose, detector = build_models(args)
    # the model's keypoint set: --dataset, else its own metadata, else the default of its keypoint count
    meta = load_dataset_meta(getattr(pose, 'keypoint_set', None), pose.num_keypoints)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    metric = build_metric(args.ann_file, meta, args.metric, args.work_dir / 'keypoints')
    predictions, info = predict(args, image_set, pose, detector, meta['sigmas'])
    results = score_predictions(predictions, metric)
    summary = {'metrics': results, 'ann_file': str(args.ann_file), 'images': len(image_set.images),
               'poses': len(predictions), 'pose': args.pose, 'pose_backend': pose.backend.name,
               'det': args.det, 'det_backend': None if detector is None else detector.backend.name,
               'dataset': meta['dataset_name'], 'metric': type(metric).__name__, **info}
    (args.work_dir / 'pipeline_ap.json').write_text(json.dumps(summary, indent=2))
    return summary


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        summary = run(args)
    except (InputError, OSError, ValueError) as err:  # OSError: a missing file, a failed model download
        print(f'error: {err}', file=sys.stderr)
        return 1
    except ModuleNotFoundError as err:  # MMPose's metric, or the torch backend, in an inference install
        if install_hint(err) is None:
            raise
        print(f'error: {explain(err)}', file=sys.stderr)
        return 1
    for key, value in summary['metrics'].items():
        print(f'{key}: {value:.4f}')
    print(f'boxes: {summary["boxes"]}' + (f' ({summary["bbox_file"]})' if 'bbox_file' in summary else ''))
    print(f'summary: {args.work_dir / "pipeline_ap.json"}')
    return 0


if __name__ == '__main__':
    sys.exit(main())

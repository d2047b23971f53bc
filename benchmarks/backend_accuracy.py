"""COCO AP of one trained RTMPose checkpoint on each inference runtime and precision, ground-truth boxes.

    python benchmarks/backend_accuracy.py [--config CFG --checkpoint CKPT] [--threads 2]

What the faster options of the real-time pipeline cost in accuracy, measured on a trained model rather than on the
random-weight exports of ``pipeline_speed.py``. Default: the README quick-start model
(``configs/rtmpose-t_demo.py``, ``work_dirs/rtmpose-t_demo/epoch_27.pth``) on its val split; any RTMPose config
with a COCO-format val set works (``--config configs/rtmpose-m_coco.py --checkpoint URL_OR_PATH``).

Methods, all through ``rtmpose.inference`` (crops from the ground-truth boxes with padding 1.25, all persons of an
image in one call, SimCC decode, no flip test):

- ``torch``: the checkpoint in PyTorch float32 (``build_pose_model(config, 'torch')``): the reference;
- ``onnxruntime``: its ONNX export (``rtmpose.deploy.torch_export.export_rtmpose_onnx``) on ONNX Runtime;
- ``openvino_f32`` / ``openvino_bf16``: the same ONNX file on OpenVINO in float32 / bfloat16;
- ``onnxruntime_int8``: our static INT8 quantisation of it (``rtmpose.deploy.ort_int8``), calibrated on crops of
  the train split.

Predictions are scored by MMPose's ``CocoMetric`` (rescoring and OKS NMS, as ``mim test``). The report gives AP, the
keypoint distance to ``torch`` (image pixels) and each method's pose time relative to ``onnxruntime`` (interleaved
image by image). Writes ``backend_accuracy.{json,md}`` and the exports into ``--work-dir``; the project's record in
``benchmarks/results/`` is updated only when asked (``--out-dir benchmarks/results``).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import time
from pathlib import Path

import cv2
import numpy as np

from rtmpose.utils.coco_boxes import PersonBox, group_by_image, missing_images, read_person_boxes, xyxy_boxes

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / 'benchmarks' / 'results'
CALIBRATION_IMAGES = 100


def load_split(ann_file: Path, img_dir: Path) -> list[tuple[Path, list[PersonBox]]]:
    """``(image file, its person boxes)`` for every image of ``ann_file`` with a non-crowd box of positive size."""
    try:
        split = group_by_image(read_person_boxes(ann_file, img_dir, skip_crowd=True))
    except FileNotFoundError as error:
        raise SystemExit(f'error: no annotation file {ann_file} (from the config\'s data settings): put the dataset '
                         f'there, or for the demo config run its README quick start, which writes '
                         f'data/demo/seed0_train1500_val200') from error
    except ValueError as error:
        raise SystemExit(f'error: {error}') from error
    missing = missing_images([boxes[0] for _, boxes in split])
    if missing:
        raise SystemExit(f'error: {len(missing)} image(s) of {ann_file} are missing, e.g. {missing[0]}')
    return split


def shown(path: str | Path) -> str:
    """``path`` relative to the repository when inside it, else as it is (URLs too)."""
    path = Path(path).resolve() if '://' not in str(path) else path
    return str(path.relative_to(REPO)) if isinstance(path, Path) and path.is_relative_to(REPO) else str(path)


def split_paths(cfg, name: str) -> tuple[Path, Path]:
    """Annotation file and image folder of the config's ``name`` dataloader (``val_dataloader``...)."""
    dataset = cfg[name]['dataset']
    root = REPO / dataset.get('data_root', '')
    return root / dataset['ann_file'], root / dataset.get('data_prefix', {}).get('img', '')


def build_methods(args, onnxruntime, onnx_file: Path, int8_file: Path) -> dict:
    """The models compared, by method name; ``onnxruntime`` is the already open float32 ONNX Runtime model."""
    from rtmpose.hub import build_pose_model

    return {
        'torch': build_pose_model(args.config, 'torch', threads=args.threads, checkpoint=args.checkpoint),
        'onnxruntime': onnxruntime,
        'openvino_f32': build_pose_model(onnx_file, 'openvino', threads=args.threads),
        'openvino_bf16': build_pose_model(onnx_file, 'openvino', threads=args.threads, precision='bf16'),
        'onnxruntime_int8': build_pose_model(int8_file, 'onnxruntime', threads=args.threads),
    }


def calibration_inputs(model, split: list[tuple[Path, list[PersonBox]]]) -> np.ndarray:
    """Network inputs of the ground-truth boxes of up to ``CALIBRATION_IMAGES`` images spread over ``split``."""
    picks = np.unique(np.linspace(0, len(split) - 1, CALIBRATION_IMAGES).round().astype(int))
    return np.concatenate([model.preprocess(cv2.imread(str(split[i][0])), xyxy_boxes(split[i][1])).inputs
                           for i in picks])


def coco_ap(ann_file: Path, predictions: list[dict], scales: list[np.ndarray]) -> dict:
    """MMPose's ``CocoMetric`` on one prediction per annotation (``id``, ``img_id``, keypoints, scores)."""
    from mmpose.datasets import CocoDataset
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    from mmpose.evaluation import CocoMetric

    metric = CocoMetric(ann_file=str(ann_file))
    metric.dataset_meta = parse_pose_metainfo(CocoDataset.METAINFO)
    samples = [{'id': p['id'], 'img_id': p['img_id'], 'category_id': 1,
                'pred_instances': {'keypoints': p['keypoints'][None], 'keypoint_scores': p['scores'][None]},
                'gt_instances': {'bbox_scales': scale[None]}} for p, scale in zip(predictions, scales)]
    metric.process([], samples)
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools' progress lines
        return dict(metric.compute_metrics(metric.results))


def evaluate(args) -> dict:
    from mmengine.config import Config

    from rtmpose.deploy.ort_int8 import quantize_int8
    from rtmpose.deploy.torch_export import export_rtmpose_onnx
    from rtmpose.hub import build_pose_model
    from rtmpose.inference.preprocess import bboxes_to_center_scale

    cfg = Config.fromfile(args.config)
    val_ann, val_dir = split_paths(cfg, 'val_dataloader')
    train_ann, train_dir = split_paths(cfg, 'train_dataloader')
    val, train = load_split(val_ann, val_dir), load_split(train_ann, train_dir)
    if not Path(args.checkpoint).is_file() and '://' not in str(args.checkpoint):
        raise SystemExit(f'error: no checkpoint {args.checkpoint}: train it first (README quick start) or pass '
                         f'--checkpoint')
    args.work_dir.mkdir(parents=True, exist_ok=True)
    onnx_file = export_rtmpose_onnx(args.config, args.work_dir / 'end2end.onnx', args.checkpoint)
    fp32 = build_pose_model(onnx_file, 'onnxruntime', threads=args.threads)
    int8_file = quantize_int8(onnx_file, args.work_dir / 'end2end-int8.onnx', calibration_inputs(fp32, train))
    methods = build_methods(args, fp32, onnx_file, int8_file)

    predictions = {name: [] for name in methods}
    seconds = dict.fromkeys(methods, 0.0)
    scales = []
    for index, (image_file, anns) in enumerate(val):
        image, boxes = cv2.imread(str(image_file)), xyxy_boxes(anns)
        scales.append(bboxes_to_center_scale(boxes, fp32.input_size, fp32.padding)[1])  # MMPose's bbox_scales
        names = list(methods)
        for name in names[index % len(names):] + names[:index % len(names)]:  # rotate the order
            tic = time.perf_counter()
            keypoints, scores = methods[name](image, boxes)
            seconds[name] += time.perf_counter() - tic
            predictions[name] += [{'id': a.record['id'], 'img_id': a.record['image_id'], 'keypoints': k,
                                   'scores': s} for a, k, s in zip(anns, keypoints, scores)]
        if (index + 1) % 50 == 0 or index + 1 == len(val):
            print(f'  images {index + 1}/{len(val)}', flush=True)
    scales = [s for per_image in scales for s in per_image]
    reference = np.stack([p['keypoints'] for p in predictions['torch']])
    report = {'config': shown(args.config), 'checkpoint': shown(args.checkpoint), 'val_ann_file': shown(val_ann),
              'images': len(val), 'persons': len(reference), 'threads': args.threads, 'methods': {}}
    for name, preds in predictions.items():
        distance = np.linalg.norm(np.stack([p['keypoints'] for p in preds]) - reference, axis=-1)
        report['methods'][name] = {
            'metrics': coco_ap(val_ann, preds, scales),
            'keypoint_distance_to_torch_px': {'mean': float(distance.mean()), 'max': float(distance.max())},
            'pose_seconds': seconds[name], 'speed_vs_onnxruntime': seconds['onnxruntime'] / seconds[name]}
    return report


def write_markdown(report: dict, path: Path) -> None:
    lines = ['# Accuracy of the inference runtimes and precisions (trained model, ground-truth boxes)', '',
             f"`{report['config']}` with `{report['checkpoint']}`, {report['images']} images / {report['persons']} "
             f"persons of `{report['val_ann_file']}`, {report['threads']} threads, no flip test; COCO metrics from "
             "MMPose's CocoMetric.", '',
             '| method | AP | AP .5 | AP .75 | AR | keypoints vs torch: mean / max (px) | speed vs onnxruntime |',
             '|---|---:|---:|---:|---:|---|---:|']
    for name, m in report['methods'].items():
        k, d = m['metrics'], m['keypoint_distance_to_torch_px']
        lines.append(f"| {name} | {k['AP']:.4f} | {k['AP .5']:.4f} | {k['AP .75']:.4f} | {k['AR']:.4f} | "
                     f"{d['mean']:.3f} / {d['max']:.1f} | {m['speed_vs_onnxruntime']:.2f}x |")
    path.write_text('\n'.join(lines) + '\n')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', type=Path, default=REPO / 'configs' / 'rtmpose-t_demo.py')
    parser.add_argument('--checkpoint', default=str(REPO / 'work_dirs' / 'rtmpose-t_demo' / 'epoch_27.pth'))
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--work-dir', type=Path, default=REPO / 'work_dirs' / 'backend_accuracy')
    parser.add_argument('--out-dir', type=Path, help='where the report goes (default: --work-dir; the tracked '
                        f'record: {RESULTS.relative_to(REPO)})')
    args = parser.parse_args(argv)
    args.out_dir = args.out_dir or args.work_dir
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(REPO)  # the configs' data roots are relative to the repository
    report = evaluate(args)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / 'backend_accuracy.json').write_text(json.dumps(report, indent=2))
    write_markdown(report, args.out_dir / 'backend_accuracy.md')
    print((args.out_dir / 'backend_accuracy.md').read_text())
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

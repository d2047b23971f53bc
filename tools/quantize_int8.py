"""Statically quantise an exported RTMPose ONNX model to INT8 for ONNX Runtime (CPU), calibrated on your crops.

    python tools/quantize_int8.py FP32_ONNX OUT_ONNX --ann-file ANN.json --img-dir IMAGES [--max-crops 200]
        [--padding 1.25] [--eval-crops 32]

FP32_ONNX: the SimCC export of ``tools/deploy.py`` (``end2end.onnx``, or its work dir). Calibration crops are the
person boxes of a COCO-format annotation file (e.g. your training set's, or a detector's results with image ids)
cropped as RTMPose's test pipeline does (padding 1.25, affine to the model input). The backbone and the keypoint
conv are quantised, the GAU head stays in float (see ``rtmpose.deploy.ort_int8``).

After writing OUT_ONNX it runs FP32 and INT8 on ``--eval-crops`` crops not used for calibration (when there are
enough) and prints the keypoint distance (input pixels) and the batch-1 speed-up with 1 thread, so that you see what
you trade before shipping it. ``OUT_ONNX`` is written atomically: a failed run leaves no partial file.
"""
import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'projects'))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('onnx', type=Path, help='FP32 RTMPose ONNX (or the deploy work dir holding end2end.onnx)')
    parser.add_argument('out', type=Path, help='INT8 ONNX to write')
    parser.add_argument('--ann-file', type=Path, required=True,
                        help='COCO-format json with person boxes ("bbox") and the "images" they refer to')
    parser.add_argument('--img-dir', type=Path, required=True, help='folder the "file_name"s are relative to')
    parser.add_argument('--max-crops', type=int, default=200, help='calibration crops (evenly spread over the file)')
    parser.add_argument('--eval-crops', type=int, default=32, help='held-out crops for the FP32 vs INT8 report')
    parser.add_argument('--padding', type=float, default=1.25, help='box enlargement before cropping')
    return parser.parse_args(argv)


def person_boxes(ann_file: Path, img_dir: Path) -> tuple[list[Path], np.ndarray]:
    """Image files and COCO ``x, y, w, h`` boxes of every box with positive size in ``ann_file``."""
    try:
        coco = json.loads(ann_file.read_text())
    except OSError as error:
        raise SystemExit(f'error: cannot read --ann-file {ann_file}: {error.strerror}')
    except ValueError as error:
        raise SystemExit(f'error: --ann-file {ann_file} is not valid JSON: {error}')
    if not isinstance(coco, dict) or not isinstance(coco.get('images'), list):
        raise SystemExit(f'error: {ann_file} has no "images" list: pass a COCO-format annotation file')
    files = {img['id']: img_dir / img['file_name'] for img in coco['images']}
    boxes = [(files[a['image_id']], a['bbox']) for a in coco.get('annotations', [])
             if a.get('image_id') in files and len(a.get('bbox', [])) == 4 and min(a['bbox'][2:]) > 1]
    if not boxes:
        raise SystemExit(f'error: {ann_file} has no annotation with a box of positive size')
    missing = sorted({str(f) for f, _ in boxes if not f.is_file()})
    if missing:
        raise SystemExit(f'error: {len(missing)} image(s) of {ann_file} are not in --img-dir {img_dir}, e.g. '
                         f'{missing[0]}')
    return [f for f, _ in boxes], np.array([b for _, b in boxes], dtype=np.float32)


def spread(count: int, k: int) -> np.ndarray:
    """``min(k, count)`` indices spread evenly over ``range(count)``."""
    return np.unique(np.linspace(0, count - 1, num=min(k, count)).round().astype(int))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    fp32_file = args.onnx / 'end2end.onnx' if args.onnx.is_dir() else args.onnx
    if not fp32_file.is_file():
        raise SystemExit(f'error: no ONNX model at {fp32_file} (pass the end2end.onnx of tools/deploy.py)')
    if args.max_crops < 1:
        raise SystemExit('error: --max-crops must be >= 1')
    from rtmpose.deploy.backend_model import OrtModel
    from rtmpose.deploy.coco_crops import crop_boxes
    from rtmpose.deploy.ort_int8 import quantize_int8
    from rtmpose.deploy.parity import compare
    from rtmpose.deploy.timing import interleaved_times, paired_ratio
    from rtmpose.inference.simcc_decode import simcc_decode

    fp32 = OrtModel(fp32_file)
    shape = fp32.session.get_inputs()[0].shape
    if fp32.input_name != 'input' or fp32.output_names != ['simcc_x', 'simcc_y']:
        raise SystemExit(f'error: {fp32_file} is not an RTMPose SimCC export (input "input", outputs "simcc_x", '
                         f'"simcc_y"); export with a pose-detection_simcc_onnxruntime_* deploy config')
    input_size = (shape[3], shape[2]) if all(isinstance(v, int) for v in shape[2:]) else (192, 256)

    files, boxes = person_boxes(args.ann_file, args.img_dir)
    held_out = spread(len(boxes), args.eval_crops) if len(boxes) > 2 * args.eval_crops else np.zeros(0, int)
    rest = np.setdiff1d(np.arange(len(boxes)), held_out)
    calib_idx = rest[spread(len(rest), args.max_crops)]
    print(f'calibrating on {len(calib_idx)} crops of {len(boxes)} boxes ({input_size[0]}x{input_size[1]})', flush=True)
    calibration = crop_boxes([files[i] for i in calib_idx], boxes[calib_idx], input_size, args.padding)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.out.with_name(f'.{args.out.name}.{os.getpid()}.part')
    try:
        quantize_int8(fp32_file, partial, calibration.inputs)
        partial.replace(args.out)
    except ValueError as error:
        raise SystemExit(f'error: {error}')
    finally:
        partial.unlink(missing_ok=True)
    print(f'wrote {args.out}')

    evaluation = crop_boxes([files[i] for i in held_out], boxes[held_out], input_size, args.padding) \
        if len(held_out) else calibration
    int8 = OrtModel(args.out)
    x = evaluation.inputs
    outputs = [model(x) for model in (fp32, int8)]
    split_ratio = outputs[0]['simcc_x'].shape[2] / input_size[0]
    parity = compare(*(simcc_decode(**out, simcc_split_ratio=split_ratio) for out in outputs))
    times = interleaved_times({'fp32': lambda: fp32(x[:1]), 'int8': lambda: int8(x[:1])}, rounds=30)
    ratio = paired_ratio(times['fp32'], times['int8'])
    source = 'held-out' if len(held_out) else 'calibration'
    print(f'INT8 vs FP32 on {len(x)} {source} crops: keypoint error mean {parity.mean_px:.2f} px, max '
          f'{parity.max_px:.1f} px (input pixels); batch-1 speed-up with 1 thread {ratio:.2f}x')
    return 0


if __name__ == '__main__':
    sys.exit(main())

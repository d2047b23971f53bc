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
import os
import sys
from pathlib import Path

import numpy as np

from rtmpose.backends import Backend


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
    """Image files and COCO ``x, y, w, h`` boxes (float32) of every box with both sides above 1 px in
    ``ann_file``."""
    from rtmpose.utils.coco_boxes import missing_images, read_person_boxes, xywh_boxes

    try:
        boxes = read_person_boxes(ann_file, img_dir, min_size=1.0)
    except (OSError, ValueError) as error:
        raise SystemExit(f'error: --ann-file: {error}') from error
    if not boxes:
        raise SystemExit(f'error: {ann_file} has no annotation with a box of positive size')
    missing = missing_images(boxes)
    if missing:
        raise SystemExit(f'error: {len(missing)} image(s) of {ann_file} are not in --img-dir {img_dir}, e.g. '
                         f'{missing[0]}')
    return [box.image for box in boxes], xywh_boxes(boxes)


def spread(count: int, k: int) -> np.ndarray:
    """``min(k, count)`` indices spread evenly over ``range(count)``."""
    return np.unique(np.linspace(0, count - 1, num=min(k, count)).round().astype(int))


def open_fp32(fp32_file: Path) -> tuple[Backend, tuple[int, int]]:
    """The FP32 model on ONNX Runtime (1 thread) and its ``(w, h)`` input size; exits unless it is an RTMPose SimCC
    export."""
    from rtmpose.deploy.artifacts import open_converted

    fp32 = open_converted('onnxruntime', [fp32_file])
    shape = fp32.inputs[0].shape
    if fp32.inputs[0].name != 'input' or fp32.output_names != ['simcc_x', 'simcc_y']:
        raise SystemExit(f'error: {fp32_file} is not an RTMPose SimCC export (input "input", outputs "simcc_x", '
                         f'"simcc_y"); export with a pose-detection_simcc_onnxruntime_* deploy config')
    return fp32, (shape[3], shape[2]) if all(isinstance(v, int) for v in shape[2:]) else (192, 256)


def write_int8(fp32_file: Path, out: Path, calibration_inputs: np.ndarray) -> None:
    """Quantise into a temporary file next to ``out`` and move it there (no partial file on failure)."""
    from rtmpose.deploy.ort_int8 import quantize_int8

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f'.{out.name}.{os.getpid()}.part')
    try:
        quantize_int8(fp32_file, partial, calibration_inputs)
        partial.replace(out)
    except ValueError as error:
        raise SystemExit(f'error: {error}') from error
    finally:
        partial.unlink(missing_ok=True)
    print(f'wrote {out}')


def report(fp32: Backend, int8_file: Path, inputs: np.ndarray, input_size: tuple[int, int], source: str) -> None:
    """Print the INT8 keypoint error against FP32 on ``inputs`` and the batch-1 speed-up."""
    from rtmpose.codecs.simcc_decode import simcc_decode
    from rtmpose.deploy.artifacts import open_converted
    from rtmpose.deploy.timing import interleaved_times, paired_ratio
    from rtmpose.testing.parity import compare

    int8 = open_converted('onnxruntime', [int8_file])
    outputs = [model(inputs) for model in (fp32, int8)]
    split_ratio = outputs[0][0].shape[2] / input_size[0]
    parity = compare(*(simcc_decode(*out, simcc_split_ratio=split_ratio) for out in outputs))
    times = interleaved_times({'fp32': lambda: fp32(inputs[:1]), 'int8': lambda: int8(inputs[:1])}, rounds=30)
    ratio = paired_ratio(times['fp32'], times['int8'])
    print(f'INT8 vs FP32 on {len(inputs)} {source} crops: keypoint error mean {parity.mean_px:.2f} px, max '
          f'{parity.max_px:.1f} px (input pixels); batch-1 speed-up with 1 thread {ratio:.2f}x')


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    fp32_file = args.onnx / 'end2end.onnx' if args.onnx.is_dir() else args.onnx
    if not fp32_file.is_file():
        raise SystemExit(f'error: no ONNX model at {fp32_file} (pass the end2end.onnx of tools/deploy.py)')
    if args.max_crops < 1:
        raise SystemExit('error: --max-crops must be >= 1')
    from rtmpose.testing.coco_crops import crop_boxes

    fp32, input_size = open_fp32(fp32_file)
    files, boxes = person_boxes(args.ann_file, args.img_dir)
    held_out = spread(len(boxes), args.eval_crops) if len(boxes) > 2 * args.eval_crops else np.zeros(0, int)
    rest = np.setdiff1d(np.arange(len(boxes)), held_out)
    calib_idx = rest[spread(len(rest), args.max_crops)]
    print(f'calibrating on {len(calib_idx)} crops of {len(boxes)} boxes ({input_size[0]}x{input_size[1]})', flush=True)
    calibration = crop_boxes([files[i] for i in calib_idx], boxes[calib_idx], input_size, args.padding)
    write_int8(fp32_file, args.out, calibration.inputs)
    evaluation = crop_boxes([files[i] for i in held_out], boxes[held_out], input_size, args.padding) \
        if len(held_out) else calibration
    report(fp32, args.out, evaluation.inputs, input_size, 'held-out' if len(held_out) else 'calibration')
    return 0


if __name__ == '__main__':
    sys.exit(main())

"""A tiny stand-in for an RTMPose ONNX export, built with ``onnx.helper`` (no torch, no weights download).

Graph: ``input`` (B, 3, 256, 192) -> Conv 16x16 stride 16 -> GlobalAveragePool -> Flatten -> MatMul + Add ->
Reshape -> ``simcc_x`` (B, 17, 384) and ``simcc_y`` (B, 17, 512). The biases hold one Gaussian peak per keypoint
at a fixed skeleton-like layout spanning 10%..90% of the crop, so that the box around the keypoints times the
1.25 crop padding gives back the crop (boxes propagated from poses stay put); the image-dependent part is small:
it moves the peaks by a fraction of a pixel and the scores by a few hundredths, deterministically.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INPUT_W, INPUT_H, SPLIT = 192, 256, 2.0
NUM_K = 17
#: (x, y) of the 17 COCO keypoints as fractions of the crop; extremes at 0.1 and 0.9 on both axes.
LAYOUT = np.array([[.5, .12], [.55, .1], [.45, .1], [.6, .12], [.4, .12], [.68, .28], [.32, .28], [.8, .42],
                   [.2, .42], [.9, .55], [.1, .55], [.62, .55], [.38, .55], [.62, .73], [.38, .73], [.62, .9],
                   [.38, .9]])


def layout_pixels() -> np.ndarray:
    """``(17, 2)`` keypoints (input pixels) the dummy model outputs up to its small image-dependent shift."""
    return LAYOUT * np.array([INPUT_W, INPUT_H])


def _peaks(centers_px: np.ndarray, bins: int, sigma: float = 6.0, amp: float = 0.9) -> np.ndarray:
    grid = np.arange(bins, dtype=np.float64)
    mu = np.rint(centers_px * SPLIT)[:, None]
    return amp * np.exp(-(grid - mu) ** 2 / (2 * sigma ** 2))  # (K, bins)


def build_dummy_pose_onnx(path: str | Path, batch: int | str = 'batch', decoded: bool = False,
                          seed: int = 0) -> Path:
    """Write the dummy model to ``path``; ``batch=1`` gives a static batch, ``decoded=True`` outputs
    ``keypoints`` (B, 17, 2) input pixels and ``scores`` (B, 17) instead of the SimCC vectors."""
    rng = np.random.default_rng(seed)
    feats = 4
    conv_w = (rng.standard_normal((feats, 3, 16, 16)) / np.sqrt(3 * 16 * 16)).astype(np.float32)
    inits = [numpy_helper.from_array(conv_w, 'conv_w')]
    nodes = [helper.make_node('Conv', ['input', 'conv_w'], ['conv'], kernel_shape=[16, 16], strides=[16, 16]),
             helper.make_node('GlobalAveragePool', ['conv'], ['pool']),
             helper.make_node('Flatten', ['pool'], ['feat'], axis=1)]
    for axis, (name, bins) in enumerate((('simcc_x', int(INPUT_W * SPLIT)), ('simcc_y', int(INPUT_H * SPLIT)))):
        bias = _peaks(layout_pixels()[:, axis], bins)
        ramp = (np.arange(bins) - bins / 2) / bins  # in [-0.5, 0.5)
        weight = np.zeros((feats, NUM_K, bins))
        for f in range(feats):
            coef = rng.uniform(-0.02, 0.02, size=(NUM_K, 1))
            offset = rng.uniform(-0.02, 0.02, size=(NUM_K, 1))
            weight[f] = coef * ramp + offset
        inits += [numpy_helper.from_array(weight.reshape(feats, -1).astype(np.float32), f'{name}_w'),
                  numpy_helper.from_array(bias.reshape(-1).astype(np.float32), f'{name}_b'),
                  numpy_helper.from_array(np.array([-1, NUM_K, bins], np.int64), f'{name}_shape')]
        nodes += [helper.make_node('MatMul', ['feat', f'{name}_w'], [f'{name}_mm']),
                  helper.make_node('Add', [f'{name}_mm', f'{name}_b'], [f'{name}_flat']),
                  helper.make_node('Reshape', [f'{name}_flat', f'{name}_shape'], [name])]
    if decoded:
        inits += [numpy_helper.from_array(np.array(SPLIT, np.float32), 'split')]
        for name in ('simcc_x', 'simcc_y'):
            nodes += [helper.make_node('ArgMax', [name], [f'{name}_arg'], axis=2, keepdims=1),
                      helper.make_node('Cast', [f'{name}_arg'], [f'{name}_argf'], to=TensorProto.FLOAT),
                      helper.make_node('ReduceMax', [name], [f'{name}_max'], axes=[2], keepdims=0)]
        nodes += [helper.make_node('Concat', ['simcc_x_argf', 'simcc_y_argf'], ['locs'], axis=2),
                  helper.make_node('Div', ['locs', 'split'], ['keypoints']),
                  helper.make_node('Min', ['simcc_x_max', 'simcc_y_max'], ['scores'])]
        outputs = [helper.make_tensor_value_info('keypoints', TensorProto.FLOAT, [batch, NUM_K, 2]),
                   helper.make_tensor_value_info('scores', TensorProto.FLOAT, [batch, NUM_K])]
    else:
        outputs = [helper.make_tensor_value_info('simcc_x', TensorProto.FLOAT, [batch, NUM_K, int(INPUT_W * SPLIT)]),
                   helper.make_tensor_value_info('simcc_y', TensorProto.FLOAT, [batch, NUM_K, int(INPUT_H * SPLIT)])]
    graph = helper.make_graph(
        nodes, 'dummy_rtmpose',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, [batch, 3, INPUT_H, INPUT_W])], outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], ir_version=8,
                              producer_name='rtmpose-tests')
    onnx.checker.check_model(model)
    path = Path(path)
    onnx.save(model, str(path))
    return path

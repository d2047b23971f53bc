"""Static INT8 quantisation of an exported RTMPose ONNX model for ONNX Runtime (CPU)."""
from collections import deque
from pathlib import Path

import numpy as np
import onnx
from onnx import version_converter

#: Per-channel ``DequantizeLinear`` (its ``axis`` attribute) needs opset 13; older exports are converted first.
_MIN_OPSET = 13
#: The backbone's operators: convs and the SiLU (``Sigmoid`` x ``Mul``), CSP ``Concat``/``Add``, SPPF ``MaxPool``
#: and channel attention (``GlobalAveragePool``, ``HardSigmoid``) between them, so that activations stay in
#: uint8 from conv to conv instead of being dequantised and requantised around every SiLU.
_QUANTIZED_OPS = ['Conv', 'Sigmoid', 'Mul', 'Add', 'Concat', 'MaxPool', 'GlobalAveragePool', 'HardSigmoid']


def quantize_int8(onnx_file: str | Path, output_file: str | Path, calibration_inputs: np.ndarray,
                  input_name: str = 'input') -> Path:
    """Write a QDQ INT8 model calibrated on ``calibration_inputs``.

    The CSPNeXt backbone and the head's keypoint conv (nearly all the FLOPs) are quantised: weights per output
    channel as int8, activations as uint8 with MinMax ranges from the calibration crops, ``reduce_range`` (7-bit
    weights) because the u8 x s8 products of AVX2 / AVX-512 without VNNI saturate with full-range weights.
    Everything from the head's first ``ReduceL2`` (ScaleNorm) on stays in float: the GAU and the SimCC classifiers
    are cheap, and the SimCC logits of neighbouring bins differ by ~1e-2 near the peak, so an 8-bit grid over their
    range would turn the peak into a plateau of ties and move the argmax by whole bins.

    Args:
        onnx_file: FP32 model (static or dynamic batch; opset < 13 is converted to 13).
        output_file: Output path of the INT8 model.
        calibration_inputs: ``(N, 3, h, w)`` float32 normalised real crops.
        input_name: Name of the model input.

    Returns:
        ``output_file`` as a Path.
    """
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class _Crops(CalibrationDataReader):
        """Feeds the calibration crops one at a time (works for static batch-1 models too)."""

        def __init__(self) -> None:
            self._batches = iter(calibration_inputs[i:i + 1] for i in range(len(calibration_inputs)))

        def get_next(self) -> dict[str, np.ndarray] | None:
            batch = next(self._batches, None)
            return None if batch is None else {input_name: batch}

    model = onnx.load(str(onnx_file))
    opset = next(o.version for o in model.opset_import if o.domain in ('', 'ai.onnx'))
    if opset < _MIN_OPSET:
        model = version_converter.convert_version(model, _MIN_OPSET)
    output_file = Path(output_file)
    quantize_static(model, str(output_file), _Crops(), quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=_QUANTIZED_OPS, nodes_to_exclude=_float_head(model), per_channel=True,
                    reduce_range=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)
    return output_file


def _float_head(model: onnx.ModelProto) -> list[str]:
    """Names of the nodes from the first ``ReduceL2`` (the head's first ScaleNorm) to the outputs."""
    nodes = model.graph.node
    start = next((n for n in nodes if n.op_type == 'ReduceL2'), None)
    if start is None:
        raise ValueError('expected an RTMPose graph with a ReduceL2 (ScaleNorm) in its head; found none')
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in nodes:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    head, queue = {start.name}, deque([start])
    while queue:
        for name in queue.popleft().output:
            for node in consumers.get(name, []):
                if node.name not in head:
                    head.add(node.name)
                    queue.append(node)
    return sorted(head)

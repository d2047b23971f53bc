"""FP32 -> FP16 ONNX for ONNX Runtime, with float32 inputs and outputs."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mmengine.config import Config

    from .artifacts import Artifacts

import onnx

#: Kept in float32 in addition to onnxruntime's default block list: ``ReduceL2`` is ScaleNorm's norm, whose sum
#: of squares overflows FP16 (see :mod:`rtmpose.deploy.rewriters.scale_norm_fp16_safe`).
FP32_OPS = ['ReduceL2']


def convert_fp16(onnx_file: str | Path, output_file: str | Path) -> Path:
    """Convert weights and activations to float16 with ``onnxruntime.transformers.float16`` (``keep_io_types``).

    The converter ships with onnxruntime (no extra package). Callers feed and receive float32 arrays as with the
    FP32 model; casts are inserted at the graph boundary and around the ops kept in float32
    (onnxruntime's ``DEFAULT_OP_BLOCK_LIST`` plus :data:`FP32_OPS`).
    """
    from onnxruntime.transformers.float16 import DEFAULT_OP_BLOCK_LIST, convert_float_to_float16

    model = convert_float_to_float16(onnx.load(str(onnx_file)), keep_io_types=True,
                                     op_block_list=DEFAULT_OP_BLOCK_LIST + FP32_OPS)
    output_file = Path(output_file)
    onnx.save(model, str(output_file))
    return output_file


def convert(files: Artifacts, deploy_cfg: Config, device: str) -> None:
    """``tools/deploy.py``'s ONNX Runtime step (its backend's ``converter``): the FP16 copy of the exported ONNX for
    an FP16 deploy config; an FP32 one runs the exported ONNX itself."""
    if files.precision == 'FP16':
        convert_fp16(files.onnx, files.backend_files[0])

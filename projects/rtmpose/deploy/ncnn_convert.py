"""ONNX -> ncnn ``.param`` / ``.bin`` with pnnx (the mmdeploy wheel ships no ``mmdeploy_onnx2ncnn``)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mmengine.config import Config

    from .artifacts import Artifacts


def onnx2ncnn(onnx_file: str | Path, param_file: str | Path, bin_file: str | Path, input_shape: list[int],
              fp16: bool = False) -> tuple[Path, Path]:
    """Convert a static-shape ONNX model to ncnn with the ``pnnx`` executable of the ``pnnx`` PyPI package.

    pnnx parses the ONNX graph into its own IR, simplifies it, and writes the ncnn files. It runs on a copy of the
    ONNX file in a temporary directory, so its side outputs (pnnx IR, Python scripts, simplified ONNX) are
    discarded with it.
    ncnn drops the batch axis, so ``input_shape`` must have batch 1.

    Args:
        onnx_file: Input ONNX file (exported with the ncnn deploy config, i.e. with the ncnn rewriters).
        param_file: Output ``.param`` path.
        bin_file: Output ``.bin`` path.
        input_shape: ``[1, C, H, W]``.
        fp16: Store the weights as fp16 (``FP16`` precision); otherwise fp32.

    Returns:
        ``(param_file, bin_file)``.

    Raises:
        RuntimeError: pnnx is missing or failed (its output is included).
    """
    try:
        import pnnx
    except ImportError as err:
        raise RuntimeError('ncnn conversion needs the `pnnx` package: pip install pnnx') from err
    if len(input_shape) != 4 or input_shape[0] != 1:
        raise ValueError(f'ncnn models take one image; input_shape must be [1, C, H, W], got {input_shape}')
    param_file, bin_file = Path(param_file), Path(bin_file)
    for stale in (param_file, bin_file):
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        side = Path(scratch)
        shutil.copyfile(onnx_file, side / 'model.onnx')
        command = [
            pnnx.EXEC_PATH, str(side / 'model.onnx'), f'inputshape=[{",".join(map(str, input_shape))}]f32',
            f'fp16={int(fp16)}', f'ncnnparam={param_file.resolve()}', f'ncnnbin={bin_file.resolve()}',
            f'ncnnpy={side / "model_ncnn.py"}', f'pnnxparam={side / "model.pnnx.param"}',
            f'pnnxbin={side / "model.pnnx.bin"}', f'pnnxpy={side / "model_pnnx.py"}',
            f'pnnxonnx={side / "model.pnnx.onnx"}'
        ]
        run = subprocess.run(command, cwd=scratch, capture_output=True, text=True)
    if run.returncode != 0 or not param_file.is_file() or not bin_file.is_file():
        raise RuntimeError(f'pnnx failed to convert {onnx_file} (exit {run.returncode}):\n{run.stdout[-3000:]}\n'
                           f'{run.stderr[-3000:]}')
    return param_file, bin_file


def convert(files: Artifacts, deploy_cfg: Config, device: str) -> None:
    """``tools/deploy.py``'s ncnn step (its backend's ``converter``): the exported ONNX -> ``.param`` / ``.bin``."""
    onnx2ncnn(files.onnx, *files.backend_files, list(files.input_shape), fp16=files.precision == 'FP16')

"""The files a deploy config produces in its work directory, and how deploy verification runs them."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from mmengine.config import Config

from ..backends import Backend, backend_facts, open_backend
from .checks import SUPPORTED_BACKENDS


@dataclass(frozen=True)
class Artifacts:
    """Paths of one conversion's outputs.

    Attributes:
        backend: one of :data:`~.checks.SUPPORTED_BACKENDS` (``'onnxruntime'``, ``'ncnn'``, ``'tensorrt'``).
        precision: ``'FP32'`` or ``'FP16'``: MMDeploy's spelling (``backend_config.precision``, ``deploy.json``),
            kept here; the backends' ``precision`` option spells it ``'f32'`` / ``'f16'``.
        onnx: The exported FP32 ONNX graph (kept for every backend; TensorRT and ncnn are built from it).
        backend_files: The files the runtime loads: ``[onnx]`` (FP32 ONNX Runtime), ``[end2end_fp16.onnx]``
            (FP16 ONNX Runtime), ``[end2end.engine]`` (TensorRT) or ``[end2end.param, end2end.bin]`` (ncnn).
        output_names: Output names of the model, in order.
        input_shape: ``[1, 3, h, w]`` of one crop.
    """

    backend: str
    precision: str
    onnx: Path
    backend_files: tuple[Path, ...]
    output_names: tuple[str, ...]
    input_shape: tuple[int, int, int, int]

    def open_backend(self, device: str = 'cpu', threads: int = 1, **options: Any) -> Backend:
        """The converted model on its runtime, set up by :func:`open_converted`."""
        return open_converted(self.backend, self.backend_files, self.precision, device, threads, **options)

    def outputs(self, runtime: Backend, inputs: np.ndarray) -> dict[str, np.ndarray]:
        """``{output_name: (N, ...)}`` of ``runtime`` (from :meth:`open_backend`) on ``inputs`` ``(N, 3, h, w)``."""
        return named_outputs(runtime, inputs, self.output_names)


def open_converted(backend: str, files: Sequence[str | Path], precision: str = 'FP32', device: str = 'cpu',
                   threads: int = 1, **options: Any) -> Backend:
    """A converted model on the :mod:`rtmpose.backends` object users run, as deploy verification
    (``tools/verify_backend.py``, the parity tests, ``benchmarks/deploy_speed.py``) measures it.

    ONNX Runtime: ``threads`` intra-op threads and one inter-op thread; ncnn: ``threads`` threads, fp16 storage,
    packing and arithmetic on for ``precision == 'FP16'`` and off otherwise; TensorRT: ``device``. ``options`` are
    further options of the runtime (``allow_spinning``...).
    """
    settings: dict[str, Any] = {'device': device}
    if backend == 'onnxruntime':
        settings.update(threads=threads, inter_op_threads=1)
    elif backend == 'ncnn':
        settings.update(threads=threads, precision='f16' if precision == 'FP16' else 'f32')
    return open_backend(backend, *files, **{**settings, **options})


def named_outputs(runtime: Backend, inputs: np.ndarray,
                  output_names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """``{name: (N, ...)}`` of ``runtime`` on ``inputs`` ``(N, ...)``; ``output_names`` are the model's outputs in
    ONNX order (default: the runtime's), which pnnx calls ``out0``, ``out1``... in an ncnn model."""
    names = list(output_names or runtime.output_names)
    blobs = [f'out{i}' for i in range(len(names))] if runtime.name == 'ncnn' else names
    return dict(zip(names, runtime(inputs, blobs)))


def artifacts(deploy_cfg: Config, work_dir: str | Path) -> Artifacts:
    """The outputs of ``deploy_cfg`` in ``work_dir`` (they need not exist yet)."""
    work_dir = Path(work_dir)
    backend_cfg = deploy_cfg.backend_config
    backend = backend_cfg.type
    if backend == 'tensorrt':
        precision = 'FP16' if backend_cfg.get('common_config', {}).get('fp16_mode', False) else 'FP32'
    else:
        precision = str(backend_cfg.get('precision', 'FP32')).upper()
    if precision not in ('FP32', 'FP16'):
        raise ValueError(f"backend_config precision must be 'FP32' or 'FP16', got {precision!r}")
    onnx_file = work_dir / deploy_cfg.onnx_config.save_file
    stem = onnx_file.with_suffix('')
    if backend not in SUPPORTED_BACKENDS:
        raise ValueError(f'backend {backend!r} is not supported; use one of {", ".join(SUPPORTED_BACKENDS)}')
    files = tuple(stem.with_suffix(suffix) for suffix in backend_facts(backend).suffixes)  # the backend's own files
    if files == (onnx_file, ) and precision == 'FP16':  # a backend of ONNX files: its FP16 copy beside the FP32 one
        files = (stem.with_name(stem.name + '_fp16.onnx'), )
    w, h = deploy_cfg.onnx_config.input_shape
    return Artifacts(backend=backend, precision=precision, onnx=onnx_file, backend_files=files,
                     output_names=tuple(deploy_cfg.onnx_config.output_names), input_shape=(1, 3, h, w))

"""ONNX Runtime: the one place in the package that opens an ``onnxruntime.InferenceSession``."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .base import Backend, BackendFacts, Port


def providers_for_device(device: str | None) -> list[Any]:
    """ONNX Runtime execution providers for a device string: ``'cpu'`` -> CPU; ``'cuda'`` / ``'cuda:N'`` -> CUDA
    (device ``N``) with the CPU as fallback for unsupported operators.

    Raises:
        ValueError: an unknown device, or CUDA asked for but this onnxruntime build has no CUDA provider.
    """
    device = (device or 'cpu').lower()
    if device == 'cpu':
        return ['CPUExecutionProvider']
    if device == 'cuda' or device.startswith('cuda:'):
        import onnxruntime as ort

        available = ort.get_available_providers()
        if 'CUDAExecutionProvider' not in available:
            raise ValueError(f'device {device!r}: this onnxruntime has no CUDAExecutionProvider (available: '
                             f'{available}); install onnxruntime-gpu or use device="cpu"')
        index = int(device.split(':')[1]) if ':' in device else 0
        return [('CUDAExecutionProvider', {'device_id': index}), 'CPUExecutionProvider']
    raise ValueError(f'unknown device {device!r} for ONNX Runtime; use "cpu", "cuda" or "cuda:N"')


class OnnxRuntimeBackend(Backend):
    """An ONNX file run by ONNX Runtime.

    Args:
        model_file: the ONNX file.
        device: ``'cpu'`` (default) or ``'cuda'`` / ``'cuda:N'``; picks the execution providers unless
            ``providers`` is given.
        threads: intra-op threads (``None`` = ONNX Runtime's default, all cores).
        inter_op_threads: threads across operators (``None`` = default).
        providers: execution providers, overriding ``device``.
        allow_spinning: let idle threads busy-wait for work (ONNX Runtime's default). Off by default here: the
            pipeline alternates between two sessions and OpenCV/numpy work, and spinning threads of one session steal
            the cores the next stage needs.
        max_batch_size: see :class:`~rtmpose.backends.base.Backend`.

    Raises:
        ValueError: the file is not a model ONNX Runtime can load, or the device is unknown / unavailable.
    """

    facts = BackendFacts(
        'onnxruntime', 'pass an .onnx file or an MMDeploy SDK folder (tools/deploy.py with an onnxruntime deploy '
        'config writes one)', aliases=('ort', 'onnx'), suffixes=('.onnx', ), folder_files=('end2end.onnx', ),
        sdk_net='end2end.onnx', runs_onnx=True, converter='ort_fp16.convert',
        converter_packages=('onnxruntime', ))

    def __init__(self, model_file: str | Path, device: str = 'cpu', threads: int | None = None,
                 inter_op_threads: int | None = None, providers: Sequence[Any] | None = None,
                 allow_spinning: bool = False, max_batch_size: int | None = None) -> None:
        import onnxruntime as ort

        super().__init__(max_batch_size)
        self.source = str(model_file)
        providers = list(providers or providers_for_device(device))
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = int(threads)
        if inter_op_threads:
            options.inter_op_num_threads = int(inter_op_threads)
        if not allow_spinning:
            options.add_session_config_entry('session.intra_op.allow_spinning', '0')
            options.add_session_config_entry('session.inter_op.allow_spinning', '0')
        try:
            self.session = ort.InferenceSession(self.source, sess_options=options, providers=providers)
        except Exception as err:  # onnxruntime raises its own pybind exception types
            raise ValueError(f'ONNX Runtime could not load {self.source!r} as a model ({err}). Is it an ONNX file '
                             f'exported by MMDeploy / torch.onnx?') from err
        self.inputs = [Port(p.name, tuple(p.shape)) for p in self.session.get_inputs()]
        self.outputs = [Port(p.name, tuple(p.shape)) for p in self.session.get_outputs()]

    def forward(self, inputs: np.ndarray, output_names: Sequence[str]) -> list[np.ndarray]:
        return self.session.run(list(output_names), {self.inputs[0].name: inputs})

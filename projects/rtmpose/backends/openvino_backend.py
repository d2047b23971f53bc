"""OpenVINO: the one place in the package that compiles a model with ``openvino``."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .base import Backend, BackendFacts, Port

PRECISIONS = ('f32', 'bf16', 'f16')


def _ports(ports: Sequence[Any]) -> list[Port]:
    return [Port(port.get_any_name(), tuple(dim.get_length() if dim.is_static else f'dim{i}'
                                            for i, dim in enumerate(port.get_partial_shape()))) for port in ports]


class OpenVINOBackend(Backend):
    """An ONNX file compiled by OpenVINO.

    Args:
        model_file: the ONNX file (OpenVINO IR ``.xml`` works too).
        device: ``'cpu'`` (default), or another OpenVINO device present here (``'gpu'``, ``'npu'``).
        threads: inference threads (``None`` = OpenVINO's default, all cores).
        precision: OpenVINO's inference precision: ``'f32'`` (default) gives ONNX Runtime's numbers; ``'bf16'``
            (CPUs with AVX512-BF16 or AMX) and ``'f16'`` are faster and approximate. OpenVINO itself would pick
            bfloat16 on such CPUs; float32 is asked for unless told otherwise.
        max_batch_size: see :class:`~rtmpose.backends.base.Backend`.

    Raises:
        ImportError: ``openvino`` is not installed (the message says how to install it).
        ValueError: an unknown device or precision, or a file OpenVINO cannot read.
    """

    facts = BackendFacts('openvino', 'pass an .onnx file or an MMDeploy SDK folder of one', aliases=('ov', ),
                         sdk_net='end2end.onnx', runs_onnx=True)

    def __init__(self, model_file: str | Path, device: str = 'cpu', threads: int | None = None,
                 precision: str = 'f32', max_batch_size: int | None = None) -> None:
        try:
            import openvino as ov
        except ImportError as err:
            raise ImportError('the openvino backend needs the openvino package: pip install openvino '
                              '(tools/setup_env.sh installs it)') from err
        super().__init__(max_batch_size)
        self.source = str(model_file)
        if precision not in PRECISIONS:
            raise ValueError(f'unknown OpenVINO precision {precision!r}; choose one of {", ".join(PRECISIONS)}')
        core = ov.Core()
        target = (device or 'cpu').upper()
        if target not in core.available_devices:
            raise ValueError(f'device {device!r}: OpenVINO has no such device here (available: '
                             f'{[d.lower() for d in core.available_devices]}); use device="cpu"')
        try:
            model = core.read_model(self.source)
        except Exception as err:  # OpenVINO raises its own exception types
            raise ValueError(f'OpenVINO could not read {self.source!r} as a model ({err}). Is it an ONNX file '
                             f'exported by MMDeploy / torch.onnx?') from err
        config: dict[str, Any] = {'PERFORMANCE_HINT': 'LATENCY', 'INFERENCE_PRECISION_HINT': precision}
        if threads:
            config['INFERENCE_NUM_THREADS'] = int(threads)
        self.compiled = core.compile_model(model, target, config)
        self.request = self.compiled.create_infer_request()
        self.inputs, self.outputs = _ports(model.inputs), _ports(model.outputs)

    @property
    def precision(self) -> str:
        """The precision OpenVINO compiled for (``'f32'``, ``'bf16'``, ``'f16'``), read back from the compiled model:
        it can differ from the one asked for (a CPU without bfloat16 runs ``'f32'``; one without native float16
        arithmetic may run ``'bf16'`` for ``'f16'``)."""
        return self.compiled.get_property('INFERENCE_PRECISION_HINT').get_type_name()

    def forward(self, inputs: np.ndarray, output_names: Sequence[str]) -> list[np.ndarray]:
        results = self.request.infer({self.inputs[0].name: inputs})
        # copies: the request's own buffers are reused by the next call
        return [np.array(results[self.compiled.output(name)], copy=True) for name in output_names]

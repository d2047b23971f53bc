"""OpenVINO backend: the same ONNX files and MMDeploy SDK folders as the ONNX Runtime backend, run by OpenVINO's
runtime (``openvino`` is imported when a model is loaded).

:class:`OpenVINOSession` offers the part of ``onnxruntime.InferenceSession`` that :class:`RTMPoseONNX` and
:class:`RTMDetONNX` use (``get_inputs``, ``get_outputs``, ``run``), so preprocessing, batching, decoding and the
SDK meta handling are theirs; only the network runs elsewhere. On x86 CPUs OpenVINO runs the RTMPose graphs faster
than ONNX Runtime (``python benchmarks/pipeline_speed.py``, 2 cores, pose stage per video frame of 5-6 crops,
detector every frame: RTMPose-m 127 ms in float32 and 69 ms in bfloat16 vs 150 ms on ONNX Runtime; RTMPose-t 31 and
19 vs 38 ms).

``precision`` is OpenVINO's inference precision: ``'f32'`` (default) gives ONNX Runtime's numbers (within 1e-6 on
the SimCC outputs); ``'bf16'`` (CPUs with AVX512-BF16 or AMX) and ``'f16'`` are faster and approximate (bfloat16 on
a trained model: COCO AP 0.7088 vs 0.7109, ``python benchmarks/backend_accuracy.py``). OpenVINO itself would pick
bfloat16 on such CPUs; we ask for float32 unless told otherwise.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple, Sequence

import numpy as np

from .detector import RTMDetONNX
from .pose_onnx import RTMPoseONNX

PRECISIONS = ('f32', 'bf16', 'f16')


class Port(NamedTuple):
    """An input or output as ONNX Runtime describes it: ``shape`` holds ints, and strings for dynamic axes."""

    name: str
    shape: list[int | str]


def _ports(ports: Sequence[Any]) -> list[Port]:
    return [Port(port.get_any_name(), [dim.get_length() if dim.is_static else f'dim{i}'
                                       for i, dim in enumerate(port.get_partial_shape())]) for port in ports]


class OpenVINOSession:
    """An ONNX model compiled by OpenVINO, called like an ``onnxruntime.InferenceSession``.

    Args:
        onnx_path: the ONNX file.
        what: description for error messages.
        num_threads: inference threads (``None`` = OpenVINO's default, all cores).
        device: ``'cpu'`` (default), or another OpenVINO device name (``'gpu'``, ``'npu'``) present here.
        precision: ``'f32'``, ``'bf16'`` or ``'f16'`` (see the module docstring).

    Raises:
        ImportError: ``openvino`` is not installed (the message says how to install it).
        ValueError: an unknown device or precision, or a file OpenVINO cannot read (the message names it).
    """

    def __init__(self, onnx_path: str | Path, what: str, num_threads: int | None = None, device: str = 'cpu',
                 precision: str = 'f32'):
        try:
            import openvino as ov
        except ImportError as err:
            raise ImportError('the openvino backend needs the openvino package: pip install openvino '
                              '(tools/setup_env.sh installs it)') from err
        if precision not in PRECISIONS:
            raise ValueError(f'unknown OpenVINO precision {precision!r}; choose one of {", ".join(PRECISIONS)}')
        core = ov.Core()
        name = (device or 'cpu').upper()
        if name not in core.available_devices:
            raise ValueError(f'device {device!r}: OpenVINO has no such device here (available: '
                             f'{[d.lower() for d in core.available_devices]}); use device="cpu"')
        try:
            model = core.read_model(str(onnx_path))
        except Exception as err:  # OpenVINO raises its own exception types
            raise ValueError(f'{what}: OpenVINO could not read {str(onnx_path)!r} as a model ({err}). Is it an '
                             f'ONNX file exported by MMDeploy / torch.onnx?') from err
        config: dict[str, Any] = {'PERFORMANCE_HINT': 'LATENCY', 'INFERENCE_PRECISION_HINT': precision}
        if num_threads:
            config['INFERENCE_NUM_THREADS'] = int(num_threads)
        self.compiled = core.compile_model(model, name, config)
        self.request = self.compiled.create_infer_request()
        self.inputs, self.outputs = _ports(model.inputs), _ports(model.outputs)

    def get_inputs(self) -> list[Port]:
        return self.inputs

    def get_outputs(self) -> list[Port]:
        return self.outputs

    def run(self, output_names: Sequence[str] | None, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        """Outputs ``output_names`` (all when ``None``) for the inputs in ``feed`` (name -> array), as arrays the
        caller owns (the request's own buffers are reused by the next call)."""
        results = self.request.infer({name: np.ascontiguousarray(array) for name, array in feed.items()})
        names = output_names or [port.name for port in self.outputs]
        return [np.array(results[self.compiled.output(name)], copy=True) for name in names]


class _OpenVINORuntime:
    """Mixed into an ONNX Runtime model class: takes the OpenVINO settings and opens an :class:`OpenVINOSession`
    where that class would open an ONNX Runtime session."""

    backend = 'openvino'
    onnx_path: Path

    def __init__(self, model: str | Path, num_threads: int | None = None, precision: str = 'f32',
                 device: str = 'cpu', **kwargs: Any):
        self._openvino = dict(num_threads=num_threads, precision=precision, device=device)
        super().__init__(model, **kwargs)  # type: ignore[call-arg]

    def _open_session(self, what: str, **ort_settings: Any) -> OpenVINOSession:
        return OpenVINOSession(self.onnx_path, what, **self._openvino)


class RTMPoseOpenVINO(_OpenVINORuntime, RTMPoseONNX):
    """:class:`RTMPoseONNX` run by OpenVINO.

    Args:
        num_threads, precision: OpenVINO settings (see :class:`OpenVINOSession`).
        device: ``'cpu'`` (default) or another OpenVINO device.
        kwargs: as :class:`RTMPoseONNX` (``meta``, ``input_size``, ``max_batch_size``...), less its ONNX Runtime
            session settings.
    """


class RTMDetOpenVINO(_OpenVINORuntime, RTMDetONNX):
    """:class:`RTMDetONNX` run by OpenVINO (the MMDeploy export with its NMS in the graph runs as it is).

    Args:
        num_threads, precision, device: as :class:`RTMPoseOpenVINO`.
        kwargs: as :class:`RTMDetONNX` (``score_thr``, ``input_size``...), less its ONNX Runtime session settings.
    """

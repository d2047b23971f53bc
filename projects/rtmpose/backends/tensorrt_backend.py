"""TensorRT: the one place in the package that deserializes and runs a TensorRT engine (TensorRT 10 API).

Inputs and outputs move through torch CUDA tensors (torch is imported when an engine is opened).
"""
from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .base import Backend, BackendFacts, Port

_OTHER_RUNTIMES = ('To run on this machine, use an ONNX Runtime, OpenVINO or ncnn model instead (e.g. '
                   'deploy_configs/pose/pose-detection_simcc_onnxruntime_dynamic-256x192.py).')


def tensorrt_unavailable(device: str) -> str | None:
    """Why TensorRT cannot build or run an engine here on ``device``, or ``None`` when it can.

    Checked without touching any file: an NVIDIA driver (``libcuda.so.1``), a CUDA build of torch that sees a GPU,
    a ``cuda`` device, and the ``tensorrt`` package. The message names the problem and the fix.
    """
    try:
        ctypes.CDLL('libcuda.so.1')
        driver = None
    except OSError as err:
        driver = f'the NVIDIA driver library libcuda.so.1 cannot be loaded ({err})'
    import torch

    if driver is not None or not torch.cuda.is_available():
        problem = driver or (f'torch {torch.__version__} reports torch.cuda.is_available() == False '
                             f'(CUDA build: {torch.version.cuda or "no"})')
        return ('TensorRT needs an NVIDIA GPU, and none is usable here: ' + problem + '. A TensorRT engine is built '
                'on the GPU it will run on. Fix: run on a machine with an NVIDIA GPU and driver, a CUDA build of '
                'torch and `pip install tensorrt`, with device cuda:0. ' + _OTHER_RUNTIMES)
    if not str(device).startswith('cuda'):
        return f'TensorRT runs on the GPU; got device {device!r}. Fix: pass device cuda:0 (--device cuda:0).'
    try:
        import tensorrt  # noqa: F401
    except ImportError as err:
        return (f'the `tensorrt` Python package is not installed ({err}). Fix: `pip install tensorrt` (TensorRT 10, '
                f'matching the CUDA version of the driver). ' + _OTHER_RUNTIMES)
    return None


class TensorRTBackend(Backend):
    """A serialized TensorRT engine on a CUDA device.

    Args:
        engine_file: the ``.engine`` file (built by ``tools/deploy.py`` with a TensorRT deploy config).
        device: ``'cuda'`` / ``'cuda:N'`` (default ``'cuda:0'``).
        max_batch_size: see :class:`~rtmpose.backends.base.Backend`; the engine's optimisation profile bounds it too.

    Raises:
        RuntimeError: no usable GPU, no ``tensorrt`` package, or an engine TensorRT cannot deserialize (the message
            says why and what to do instead).
    """

    facts = BackendFacts(
        'tensorrt', 'build an engine with tools/deploy.py and a TensorRT deploy config, and pass the .engine',
        aliases=('trt', ), suffixes=('.engine', ), folder_files=('end2end.engine', ), sdk_net='end2end.engine',
        gpu_only=True, converter='tensorrt_convert.convert')

    @classmethod
    def unavailable(cls, device: str) -> str | None:
        return tensorrt_unavailable(device)

    def __init__(self, engine_file: str | Path, device: str = 'cuda:0', max_batch_size: int | None = None) -> None:
        problem = tensorrt_unavailable(device)
        if problem is not None:
            raise RuntimeError(problem)
        import tensorrt as trt
        import torch

        super().__init__(max_batch_size)
        self.source = str(engine_file)
        self._torch, self._trt = torch, trt
        self.device = torch.device(device)
        logger = trt.Logger(trt.Logger.WARNING)
        trt.init_libnvinfer_plugins(logger, '')
        self.engine = trt.Runtime(logger).deserialize_cuda_engine(Path(engine_file).read_bytes())
        if self.engine is None:
            raise RuntimeError(f'TensorRT could not deserialize {self.source!r}: an engine is tied to the TensorRT '
                               f'version and GPU it was built with; rebuild it here with tools/deploy.py')
        self.context = self.engine.create_execution_context()
        names = [self.engine.get_tensor_name(i) for i in range(self.engine.num_io_tensors)]
        ports = [Port(name, tuple(int(d) if d >= 0 else f'dim{i}' for i, d in enumerate(self.engine.get_tensor_shape(
            name)))) for name in names]
        is_input = [self.engine.get_tensor_mode(name) == trt.TensorIOMode.INPUT for name in names]
        self.inputs = [port for port, flag in zip(ports, is_input) if flag]
        self.outputs = [port for port, flag in zip(ports, is_input) if not flag]

    def forward(self, inputs: np.ndarray, output_names: Sequence[str]) -> list[np.ndarray]:
        torch = self._torch
        x = torch.from_numpy(inputs).to(self.device)
        self.context.set_input_shape(self.inputs[0].name, tuple(x.shape))
        self.context.set_tensor_address(self.inputs[0].name, x.data_ptr())
        outputs = {}
        for name in self.output_names:  # every output needs an address, also those not asked for
            dtype = torch.from_numpy(np.empty(0, self._trt.nptype(self.engine.get_tensor_dtype(name)))).dtype
            out = torch.empty(tuple(self.context.get_tensor_shape(name)), dtype=dtype, device=self.device)
            self.context.set_tensor_address(name, out.data_ptr())
            outputs[name] = out
        stream = torch.cuda.current_stream(self.device)
        if not self.context.execute_async_v3(stream.cuda_stream):
            raise RuntimeError(f'TensorRT execution of {self.source!r} failed')
        stream.synchronize()
        return [outputs[name].cpu().numpy() for name in output_names]

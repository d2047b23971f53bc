"""Run a converted model (ONNX Runtime, ncnn or TensorRT) on a batch of crops."""
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .artifacts import Artifacts


class BackendModel(ABC):
    """``model(inputs (N, 3, h, w) float32) -> {output_name: (N, ...) array}``.

    Backends that take one crop per call (static batch 1, ncnn) are called once per crop and the outputs stacked.
    """

    def __init__(self, output_names: Sequence[str], batch_size: int | None) -> None:
        self.output_names = list(output_names)
        self.batch_size = batch_size  # None: any batch

    def __call__(self, inputs: np.ndarray) -> dict[str, np.ndarray]:
        inputs = np.ascontiguousarray(inputs, dtype=np.float32)
        if self.batch_size is None or len(inputs) == self.batch_size:
            return self.run(inputs)
        parts = [self.run(inputs[i:i + 1]) for i in range(len(inputs))]
        return {name: np.concatenate([p[name] for p in parts]) for name in self.output_names}

    @abstractmethod
    def run(self, inputs: np.ndarray) -> dict[str, np.ndarray]:
        """One call of the runtime on ``inputs`` of a batch size it accepts."""


class OrtModel(BackendModel):
    """An ONNX file on ONNX Runtime's CPU execution provider with ``threads`` intra-op threads."""

    def __init__(self, onnx_file: str | Path, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_file), options, providers=['CPUExecutionProvider'])
        batch = self.session.get_inputs()[0].shape[0]
        super().__init__([o.name for o in self.session.get_outputs()], batch if isinstance(batch, int) else None)
        self.input_name = self.session.get_inputs()[0].name

    def run(self, inputs: np.ndarray) -> dict[str, np.ndarray]:
        return dict(zip(self.output_names, self.session.run(self.output_names, {self.input_name: inputs})))


class NcnnModel(BackendModel):
    """A pnnx-converted ncnn model (blobs ``in0``, ``out0``, ``out1``, ...) on the CPU.

    ``fp16`` enables ncnn's fp16 storage, packing and arithmetic (each where the CPU supports it: on x86, fp16
    storage with F16C; arithmetic on ARMv8.2); otherwise all three are off and ncnn computes in fp32.
    """

    def __init__(self, param_file: str | Path, bin_file: str | Path, output_names: Sequence[str], fp16: bool = False,
                 threads: int = 1) -> None:
        import ncnn

        super().__init__(output_names, 1)
        self.net = ncnn.Net()
        self.net.opt.num_threads = threads
        self.net.opt.use_fp16_storage = fp16
        self.net.opt.use_fp16_packed = fp16
        self.net.opt.use_fp16_arithmetic = fp16
        self.net.opt.use_bf16_storage = False
        if self.net.load_param(str(param_file)) != 0 or self.net.load_model(str(bin_file)) != 0:
            raise RuntimeError(f'ncnn could not load {param_file} / {bin_file}')
        self._mat = ncnn.Mat

    def run(self, inputs: np.ndarray) -> dict[str, np.ndarray]:
        with self.net.create_extractor() as extractor:
            extractor.input('in0', self._mat(inputs[0]))
            outputs = {}
            for i, name in enumerate(self.output_names):
                status, mat = extractor.extract(f'out{i}')
                if status != 0:
                    raise RuntimeError(f'ncnn failed to compute out{i} ({name}), status {status}')
                outputs[name] = np.array(mat)[None]
        return outputs


class TensorRTModel(BackendModel):
    """A serialized TensorRT engine (TensorRT 10 API) on ``device``; inputs and outputs move through torch."""

    def __init__(self, engine_file: str | Path, device: str = 'cuda:0') -> None:
        import tensorrt as trt
        import torch

        self._torch, self._trt = torch, trt
        self.device = torch.device(device)
        runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))
        self.engine = runtime.deserialize_cuda_engine(Path(engine_file).read_bytes())
        self.context = self.engine.create_execution_context()
        names = [self.engine.get_tensor_name(i) for i in range(self.engine.num_io_tensors)]
        inputs = [n for n in names if self.engine.get_tensor_mode(n) == trt.TensorIOMode.INPUT]
        self.input_name = inputs[0]
        super().__init__([n for n in names if n not in inputs], None)

    def run(self, inputs: np.ndarray) -> dict[str, np.ndarray]:
        torch = self._torch
        x = torch.from_numpy(inputs).to(self.device)
        self.context.set_input_shape(self.input_name, tuple(x.shape))
        self.context.set_tensor_address(self.input_name, x.data_ptr())
        outputs = {}
        for name in self.output_names:
            dtype = torch.from_numpy(np.empty(0, self._trt.nptype(self.engine.get_tensor_dtype(name)))).dtype
            out = torch.empty(tuple(self.context.get_tensor_shape(name)), dtype=dtype, device=self.device)
            self.context.set_tensor_address(name, out.data_ptr())
            outputs[name] = out
        stream = torch.cuda.current_stream(self.device)
        if not self.context.execute_async_v3(stream.cuda_stream):
            raise RuntimeError('TensorRT execution failed')
        stream.synchronize()
        return {name: out.cpu().numpy() for name, out in outputs.items()}


def load_backend_model(files: Artifacts, device: str = 'cpu', threads: int = 1) -> BackendModel:
    """The runtime model for a conversion's :class:`~rtmpose.deploy.artifacts.Artifacts`."""
    if files.backend == 'onnxruntime':
        return OrtModel(files.backend_files[0], threads)
    if files.backend == 'ncnn':
        return NcnnModel(*files.backend_files, files.output_names, fp16=files.precision == 'FP16', threads=threads)
    if files.backend == 'tensorrt':
        return TensorRTModel(files.backend_files[0], device)
    raise ValueError(f'unsupported backend {files.backend!r}')

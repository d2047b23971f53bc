"""ncnn: the one place in the package that loads an ``ncnn.Net`` (``.param`` / ``.bin`` pairs made by pnnx or
MMDeploy).

ncnn has no batch axis: the backend declares a static batch of 1 and runs a stack of inputs one item per call.

Its OpenMP threads busy-wait by default; on a machine whose cores are shared (other processes, or ONNX Runtime
sessions in this one) that stalls a 2-thread inference for seconds, so ``OMP_WAIT_POLICY=PASSIVE`` is set before
ncnn is first imported unless the environment already sets it.
"""
from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .base import Backend, BackendFacts, Port

PRECISIONS = ('f32', 'f16')


def import_ncnn():
    """Import the ``ncnn`` Python package (passive OpenMP waiting unless the environment says otherwise)."""
    if 'ncnn' in sys.modules:
        if 'OMP_WAIT_POLICY' not in os.environ:
            warnings.warn('ncnn was imported before rtmpose could set OMP_WAIT_POLICY=PASSIVE: with several threads '
                          'on busy cores, ncnn inference may stall; set the variable before importing ncnn',
                          stacklevel=3)
    else:
        os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
    try:
        import ncnn
    except ImportError as err:
        raise ImportError('the ncnn backend needs the `ncnn` package: pip install ncnn') from err
    return ncnn


def parse_ncnn_param(param: str | Path) -> tuple[list[Port], list[Port]]:
    """The input and output blobs of an ncnn ``.param`` (text format).

    Inputs are the ``Input`` layers (shape ``(1, c, h, w)`` when the layer declares it, else named axes); outputs
    are the blobs no layer consumes, in the order they are produced (their shapes are unknown: ``('batch', '?')``).

    Raises:
        ValueError: not a text ``.param`` file (wrong magic number or malformed lines).
    """
    lines = Path(param).read_text(encoding='utf-8', errors='replace').split('\n')
    if not lines or lines[0].strip() != '7767517':
        raise ValueError(f'{str(param)!r} is not an ncnn .param file (first line should be 7767517)')
    inputs: list[Port] = []
    produced: list[str] = []
    consumed: set[str] = set()
    for line in lines[2:]:
        fields = line.split()
        if len(fields) < 4:
            continue
        try:
            layer_type, n_in, n_out = fields[0], int(fields[2]), int(fields[3])
        except ValueError as err:
            raise ValueError(f'{str(param)!r}: malformed ncnn .param line {line!r}') from err
        bottoms, tops = fields[4:4 + n_in], fields[4 + n_in:4 + n_in + n_out]
        consumed.update(bottoms)
        produced.extend(tops)
        if layer_type == 'Input' and tops:
            inputs.append(Port(tops[0], _declared_shape(fields[4 + n_in + n_out:])))
    outputs = [Port(blob, ('batch', '?')) for blob in produced if blob not in consumed]
    return inputs, outputs


def _declared_shape(fields: Sequence[str]) -> tuple[int | str, ...]:
    params = dict(item.split('=', 1) for item in fields if '=' in item)
    if all(key in params for key in ('0', '1', '2')):
        return (1, int(params['2']), int(params['1']), int(params['0']))
    return (1, 'c', 'h', 'w')


class NcnnBackend(Backend):
    """An ncnn network.

    Args:
        param_file: the ``.param`` file.
        bin_file: its weights.
        device: ``'cpu'`` (default) or ``'vulkan'``.
        threads: ncnn threads (default: the physical cores).
        precision: ``'f16'`` turns fp16 storage, packing and arithmetic on, each where the CPU supports it (x86:
            fp16 storage with F16C; arithmetic on ARMv8.2), ``'f32'`` turns them off; ``None`` keeps ncnn's defaults
            (fp16 where supported). Spelled as OpenVINO's ``precision``.
        input_name: the blob fed (default: the only ``Input`` layer).

    Raises:
        ImportError: ``ncnn`` is not installed.
        ValueError: a file ncnn cannot load, no single input, or an unknown / unavailable device.
    """

    facts = BackendFacts(
        'ncnn', 'export it with tools/deploy.py and an ncnn deploy config and pass that folder, or convert the ONNX '
        'with pnnx and pass the .param: `pnnx {onnx} inputshape=[{input_shape}]` (pose model); a detector first '
        'loses its NMS, which ncnn cannot run: `python -m rtmpose.deploy.onnx_graph {onnx} raw.onnx`, then pnnx on '
        'raw.onnx', suffixes=('.param', '.bin'), folder_files=('*.param', ), converter='ncnn_convert.convert',
        converter_packages=('pnnx', ))

    def __init__(self, param_file: str | Path, bin_file: str | Path, device: str = 'cpu', threads: int | None = None,
                 precision: str | None = None, input_name: str | None = None) -> None:
        super().__init__(max_batch_size=1)
        self.param_file, self.bin_file = Path(param_file), Path(bin_file)
        self.source = str(self.param_file)
        inputs, self.outputs = parse_ncnn_param(self.param_file)
        if input_name is not None:
            inputs = [port for port in inputs if port.name == input_name]
        if len(inputs) != 1:
            raise ValueError(f'{self.source!r}: expected one Input layer, found {[p.name for p in inputs]}')
        self.inputs = inputs
        self._ncnn = import_ncnn()
        self.net = self._ncnn.Net()
        self._set_options(device, threads, precision)
        if self.net.load_param(str(self.param_file)) != 0:
            raise ValueError(f'ncnn could not load {self.source!r} as a .param file')
        if self.net.load_model(str(self.bin_file)) != 0:
            raise ValueError(f'ncnn could not load the weights {str(self.bin_file)!r} (does it belong to '
                             f'{self.param_file.name}?)')

    def _set_options(self, device: str, threads: int | None, precision: str | None) -> None:
        opt: Any = self.net.opt
        device = (device or 'cpu').lower()
        if device in ('vulkan', 'gpu') or device.startswith(('vulkan:', 'gpu:')):
            if not hasattr(self._ncnn, 'get_gpu_count') or self._ncnn.get_gpu_count() == 0:
                raise ValueError(f'device {device!r}: ncnn sees no Vulkan GPU; use device="cpu"')
            opt.use_vulkan_compute = True
        elif device != 'cpu':
            raise ValueError(f'unknown device {device!r} for ncnn; use "cpu" or "vulkan"')
        else:
            opt.use_vulkan_compute = False
        opt.num_threads = int(threads) if threads else max(1, self._ncnn.get_physical_cpu_count())
        if precision is not None:
            if precision not in PRECISIONS:
                raise ValueError(f'unknown ncnn precision {precision!r}; choose one of {", ".join(PRECISIONS)}')
            opt.use_fp16_storage = opt.use_fp16_packed = opt.use_fp16_arithmetic = precision == 'f16'

    @property
    def static_batch(self) -> int:
        return 1

    def forward(self, inputs: np.ndarray, output_names: Sequence[str]) -> list[np.ndarray]:
        """One ``(1, C, H, W)`` input; each output gets the batch axis back: ``(1, ...)``."""
        with self.net.create_extractor() as extractor:
            extractor.input(self.inputs[0].name, self._ncnn.Mat(np.ascontiguousarray(inputs[0])))
            outputs = []
            for name in output_names:
                status, mat = extractor.extract(name)
                if status != 0:
                    raise RuntimeError(f'ncnn failed to compute blob {name!r} of {self.param_file.name} '
                                       f'(error {status})')
                outputs.append(np.array(mat, dtype=np.float32, copy=True)[None])
        return outputs

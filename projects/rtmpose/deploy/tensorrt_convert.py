"""ONNX -> TensorRT engine with the ``tensorrt`` Python package (TensorRT 10 API)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mmengine.config import Config

    from .artifacts import Artifacts

import torch

from ..backends.tensorrt_backend import tensorrt_unavailable


def _load_mmdeploy_plugins(onnx_file: str | Path) -> None:
    """Load MMDeploy's TensorRT plugin library when the graph has ``mmdeploy::`` ops (RTMDet's
    ``TRTBatchedNMS``); pose graphs have none and need no plugin."""
    import onnx

    graph = onnx.load(str(onnx_file), load_external_data=False).graph
    custom = sorted({n.op_type for n in graph.node if n.domain == 'mmdeploy'})
    if not custom:
        return
    from mmdeploy.backend.tensorrt.init_plugins import get_ops_path, load_tensorrt_plugin
    try:
        loaded = load_tensorrt_plugin()
    except OSError as err:  # built against another TensorRT / CUDA
        raise RuntimeError(f'{onnx_file} uses MMDeploy TensorRT plugins {custom}, and the plugin library '
                           f'{get_ops_path()} does not load here: {err}') from err
    if not loaded:
        raise RuntimeError(f'{onnx_file} uses MMDeploy TensorRT plugins {custom}; the mmdeploy package has no '
                           'plugin library (libmmdeploy_tensorrt_ops.so)')


def onnx2tensorrt(onnx_file: str | Path, engine_file: str | Path, input_shapes: dict[str, dict[str, list[int]]],
                  fp16: bool = False, max_workspace_size: int = 1 << 30, device: str = 'cuda:0') -> Path:
    """Build a serialized engine from an ONNX file with one optimisation profile.

    Args:
        onnx_file: The exported ONNX model.
        engine_file: Output ``.engine`` path.
        input_shapes: ``{input_name: {'min_shape': [...], 'opt_shape': [...], 'max_shape': [...]}}``, as in
            ``backend_config.model_inputs[0].input_shapes`` of MMDeploy's TensorRT configs.
        fp16: Allow FP16 kernels (``BuilderFlag.FP16``).
        max_workspace_size: Workspace memory pool limit in bytes.
        device: The CUDA device to build on.

    Returns:
        ``engine_file`` as a Path.

    Raises:
        RuntimeError: the GPU check failed, or TensorRT could not parse the ONNX file or build the engine.
    """
    problem = tensorrt_unavailable(device)
    if problem is not None:
        raise RuntimeError(problem)
    import tensorrt as trt

    torch.cuda.set_device(torch.device(device))
    logger = trt.Logger(trt.Logger.WARNING)
    trt.init_libnvinfer_plugins(logger, '')
    _load_mmdeploy_plugins(onnx_file)
    builder = trt.Builder(logger)
    network = builder.create_network(0)
    parser = trt.OnnxParser(network, logger)
    if not parser.parse_from_file(str(onnx_file)):
        errors = '\n'.join(str(parser.get_error(i)) for i in range(parser.num_errors))
        raise RuntimeError(f'TensorRT could not parse {onnx_file}:\n{errors}')
    config = builder.create_builder_config()
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, max_workspace_size)
    if fp16:
        config.set_flag(trt.BuilderFlag.FP16)
    profile = builder.create_optimization_profile()
    for name, shapes in input_shapes.items():
        profile.set_shape(name, shapes['min_shape'], shapes['opt_shape'], shapes['max_shape'])
    config.add_optimization_profile(profile)
    engine = builder.build_serialized_network(network, config)
    if engine is None:
        raise RuntimeError(f'TensorRT failed to build an engine from {onnx_file} (see the log above)')
    engine_file = Path(engine_file)
    engine_file.write_bytes(bytes(engine))
    return engine_file


def convert(files: Artifacts, deploy_cfg: Config, device: str) -> None:
    """``tools/deploy.py``'s TensorRT step (its backend's ``converter``): the exported ONNX -> the engine, with the
    deploy config's input shapes and workspace."""
    common = deploy_cfg.backend_config.get('common_config', {})
    onnx2tensorrt(files.onnx, files.backend_files[0], deploy_cfg.backend_config.model_inputs[0].input_shapes,
                  fp16=files.precision == 'FP16', max_workspace_size=common.get('max_workspace_size', 1 << 30),
                  device=device)

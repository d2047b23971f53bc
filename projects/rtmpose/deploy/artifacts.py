"""The files a deploy config produces in its work directory."""
from dataclasses import dataclass
from pathlib import Path

from mmengine.config import Config


@dataclass(frozen=True)
class Artifacts:
    """Paths of one conversion's outputs.

    Attributes:
        backend: ``'onnxruntime'``, ``'tensorrt'`` or ``'ncnn'``.
        precision: ``'FP32'`` or ``'FP16'``.
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
    if backend == 'onnxruntime':
        files = (onnx_file, ) if precision == 'FP32' else (stem.with_name(stem.name + '_fp16.onnx'), )
    elif backend == 'tensorrt':
        files = (stem.with_suffix('.engine'), )
    elif backend == 'ncnn':
        files = (stem.with_suffix('.param'), stem.with_suffix('.bin'))
    else:
        raise ValueError(f"backend {backend!r} is not supported; use 'onnxruntime', 'tensorrt' or 'ncnn'")
    w, h = deploy_cfg.onnx_config.input_shape
    return Artifacts(backend=backend, precision=precision, onnx=onnx_file, backend_files=files,
                     output_names=tuple(deploy_cfg.onnx_config.output_names), input_shape=(1, 3, h, w))

"""Locating deployed models (an ONNX file or an MMDeploy SDK folder), reading the SDK's JSON meta and opening
ONNX Runtime sessions. Imports onnxruntime only when a session is created."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

SDK_FILES = ('deploy.json', 'pipeline.json', 'detail.json')


def resolve_model(model: str | Path, what: str) -> tuple[Path, Path | None]:
    """Find the ONNX file and the MMDeploy SDK meta folder for ``model``.

    Args:
        model: an ONNX file, or an MMDeploy SDK folder (``deploy.json`` names the net, default ``end2end.onnx``).
        what: a description for error messages (``'RTMDet detector'``...).

    Returns:
        ``(onnx_path, meta_dir)``; ``meta_dir`` is the folder when ``model`` is a folder, or the file's folder when
        that holds a ``pipeline.json`` and a ``deploy.json`` naming this file as its net; else ``None``.

    Raises:
        FileNotFoundError: the path, or the net inside the SDK folder, does not exist.
    """
    path = Path(model).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f'{what} model not found: {str(path)!r}. Pass the path of an ONNX file (e.g. end2end.onnx exported by '
            f'MMDeploy) or of an MMDeploy SDK folder holding deploy.json, pipeline.json and the ONNX file.')
    if path.is_dir():
        net = _sdk_net_name(path) or 'end2end.onnx'
        onnx_path = path / net
        if not onnx_path.is_file():
            raise FileNotFoundError(
                f'{what}: the SDK folder {str(path)!r} has no model file {net!r}. Export the model into this folder '
                f'with MMDeploy, or pass the ONNX file itself and this folder as the meta folder.')
        return onnx_path, path
    meta_dir = path.parent if (path.parent / 'pipeline.json').is_file() and _sdk_net_name(path.parent) == path.name \
        else None
    return path, meta_dir


def _sdk_net_name(folder: Path) -> str | None:
    deploy = folder / 'deploy.json'
    if not deploy.is_file():
        return None
    try:
        return read_json(deploy)['models'][0]['net']
    except (KeyError, IndexError, TypeError):
        return None


def read_json(path: str | Path) -> Any:
    """Load a JSON file, with an error that names the file when it is not valid JSON."""
    path = Path(path)
    try:
        with path.open(encoding='utf-8') as f:
            return json.load(f)
    except json.JSONDecodeError as err:
        raise ValueError(f'{str(path)!r} is not valid JSON: {err}') from err


def load_pipeline(meta_dir: str | Path) -> dict[str, Any]:
    """Read an MMDeploy SDK ``pipeline.json`` into ``{'transforms': [...], 'postprocess': {...} | None}``.

    ``transforms`` are the dicts of the ``Transform`` task in order; ``postprocess`` is the ``params`` of the
    post-processing task (``SimCCLabelDecode``, ``ResizeBBox``...) with its ``component`` name added.
    """
    meta_dir = Path(meta_dir)
    file = meta_dir / 'pipeline.json'
    if not file.is_file():
        raise FileNotFoundError(f'no pipeline.json in the MMDeploy SDK folder {str(meta_dir)!r}')
    tasks = read_json(file).get('pipeline', {}).get('tasks', [])
    transforms: list[dict] = []
    postprocess = None
    for task in tasks:
        if task.get('module') == 'Transform':
            transforms.extend(task.get('transforms', []))
        elif 'component' in task:
            postprocess = dict(task.get('params', {}), component=task['component'])
    return {'transforms': transforms, 'postprocess': postprocess}


def find_transform(transforms: Sequence[dict], *types: str) -> dict | None:
    """The first transform whose ``type`` is one of ``types`` (e.g. ``'Resize'``), else ``None``."""
    for transform in transforms:
        if transform.get('type') in types:
            return transform
    return None


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


def create_session(onnx_path: str | Path, what: str, intra_op_threads: int | None = None,
                   inter_op_threads: int | None = None, providers: Sequence[Any] | None = None,
                   allow_spinning: bool = False):
    """Open an ``onnxruntime.InferenceSession``.

    Args:
        onnx_path: the ONNX file.
        what: description for error messages.
        intra_op_threads: threads inside one operator (``None``/0 = ONNX Runtime's default, all cores).
        inter_op_threads: threads across operators (``None`` = default).
        providers: execution providers, default ``['CPUExecutionProvider']``.
        allow_spinning: let idle intra-op threads busy-wait for work (ONNX Runtime's default). Off here: the
            pipeline alternates between two sessions and OpenCV/numpy work, and spinning threads of one session
            steal the cores the next stage needs (measured on 2 cores: RTMDet-nano 2 threads 32 ms -> 18 ms).

    Raises:
        ValueError: the file is not a model ONNX Runtime can load (the message names the file).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if intra_op_threads:
        options.intra_op_num_threads = int(intra_op_threads)
    if inter_op_threads:
        options.inter_op_num_threads = int(inter_op_threads)
    if not allow_spinning:
        options.add_session_config_entry('session.intra_op.allow_spinning', '0')
        options.add_session_config_entry('session.inter_op.allow_spinning', '0')
    try:
        return ort.InferenceSession(str(onnx_path), sess_options=options,
                                    providers=list(providers or ['CPUExecutionProvider']))
    except Exception as err:  # onnxruntime raises its own pybind exception types
        raise ValueError(f'{what}: ONNX Runtime could not load {str(onnx_path)!r} as a model ({err}). '
                         f'Is it an ONNX file exported by MMDeploy / torch.onnx?') from err


class OnnxRuntimeModel:
    """Mixin of the ONNX Runtime model classes: opens the network of ``self.onnx_path`` with
    :func:`create_session`; a class for another runtime of the same files overrides :meth:`_open_session`."""

    backend = 'onnxruntime'
    onnx_path: Path

    def _open_session(self, what: str, **settings: Any):
        """The session that runs the network; ``settings`` are :func:`create_session`'s."""
        return create_session(self.onnx_path, what, **settings)


class BatchRunner:
    """Runs an ONNX Runtime session on a stack of inputs ``(M, ...)`` in as few calls as the model allows.

    - static batch ``B`` in the ONNX input shape: chunks of ``B`` (the last one padded by repeating its last item);
    - dynamic batch: one call (or chunks of ``max_batch``). Some exports declare a dynamic batch axis but fail for
      batches above 1 (the MMDeploy RTMDet export's NMS does); the first such failure switches this runner to one
      item per call for good.
    """

    def __init__(self, session, max_batch: int | None = None):
        self.session = session
        first = session.get_inputs()[0]
        self.input_name = first.name
        batch = first.shape[0] if first.shape else None
        self.static_batch = batch if isinstance(batch, int) and batch > 0 else None
        self.max_batch = max_batch
        self.batch_ok = True

    def run(self, output_names: Sequence[str], inputs: Any) -> Iterator[tuple[int, list[Any]]]:
        """Yield ``(start, outputs)`` per chunk; ``outputs`` are trimmed to the chunk's real items (no padding)."""
        count = len(inputs)
        start = 0
        while start < count:
            step = self.static_batch or ((self.max_batch or count) if self.batch_ok else 1)
            chunk = inputs[start:start + step]
            used = len(chunk)
            if self.static_batch and used < self.static_batch:
                chunk = np.concatenate([chunk, np.repeat(chunk[-1:], self.static_batch - used, axis=0)])
            try:
                outputs = self.session.run(list(output_names), {self.input_name: chunk})
            except Exception:
                if self.static_batch or used == 1:
                    raise
                self.batch_ok = False  # dynamic axis that does not really batch: retry item by item
                continue
            yield start, [out[:used] for out in outputs]
            start += used

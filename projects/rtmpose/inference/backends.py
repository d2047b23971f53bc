"""One entry point for every backend: ``build_detector`` / ``build_pose_model`` (``backend='onnxruntime'|'openvino'|
'ncnn'|'torch'``, ``device``, ``threads``). All pose models share
:class:`~rtmpose.inference.pose_base.TopDownPoseModel`'s ``preprocess`` / ``infer`` / ``postprocess`` and all
detectors return ``(boxes (N, 4) xyxy, scores (N,))``, so :class:`~rtmpose.inference.PoseTracker` runs on any of
them.

>>> det = build_detector('rtmdet-nano-person/', backend='onnxruntime', threads=2)
>>> pose = build_pose_model('rtmpose-m.onnx', backend='openvino', threads=2)  # the same ONNX file, OpenVINO runs it
>>> pose = build_pose_model('rtmpose-t.ncnn.param', backend='ncnn', threads=2)
>>> pose = build_pose_model('configs/rtmpose-m_coco.py', backend='torch', checkpoint='rtmpose-m.pth')
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

BACKENDS = ('onnxruntime', 'openvino', 'ncnn', 'torch')
_ALIASES = {'ort': 'onnxruntime', 'onnx': 'onnxruntime', 'ov': 'openvino', 'pytorch': 'torch'}
_RUNS_ONNX = ('onnxruntime', 'openvino')  # backends that take ONNX files / MMDeploy SDK folders


def guess_backend(model: str | Path) -> str:
    """The backend a model file is for: ``.py`` config -> ``torch``; ``.param``/``.bin`` or a folder with a
    ``.param`` -> ``ncnn``; anything else (``.onnx``, MMDeploy ONNX SDK folder) -> ``onnxruntime``."""
    path = Path(model)
    suffix = path.suffix.lower()
    if suffix == '.py':
        return 'torch'
    if suffix in ('.param', '.bin'):
        return 'ncnn'
    if path.is_dir() and not (path / 'end2end.onnx').exists() and any(path.glob('*.param')):
        return 'ncnn'
    return 'onnxruntime'


def normalize_backend(backend: str | None, model: str | Path) -> str:
    """Canonical backend name (``None`` = guessed from ``model``); raises ``ValueError`` for unknown names and for
    a model file that cannot run on the backend asked for."""
    guessed = guess_backend(model)
    if backend is None:
        return guessed
    name = _ALIASES.get(backend.lower(), backend.lower())
    if name not in BACKENDS:
        raise ValueError(f'unknown backend {backend!r}; choose one of {", ".join(BACKENDS)}')
    if name != guessed and not (name in _RUNS_ONNX and guessed in _RUNS_ONNX):
        hints = {'ncnn': 'convert it with `pnnx model.onnx inputshape=[1,3,256,192]` (pose) or '
                         '`python -m rtmpose.inference.export strip-nms` then pnnx (detector) and pass the .param',
                 'torch': 'pass an OpenMMLab config .py (and its checkpoint)',
                 'onnxruntime': 'pass an .onnx file or an MMDeploy SDK folder',
                 'openvino': 'pass an .onnx file or an MMDeploy SDK folder'}
        article = 'an' if guessed[0] in 'aeiou' else 'a'
        raise ValueError(f'{str(model)!r} is {article} {guessed} model, not for {name}: {hints[name]}')
    return name


def build_pose_model(model: str | Path, backend: str | None = None, device: str = 'cpu',
                     threads: int | None = None, checkpoint: str | Path | None = None,
                     meta: str | Path | None = None, **kwargs: Any):
    """An RTMPose model on ``backend`` (default: guessed from the file).

    Args:
        model: ONNX file / MMDeploy SDK folder (onnxruntime, openvino), ``.param`` (ncnn), or config ``.py``
            (torch).
        device: ``'cpu'``; ``'cuda[:N]'`` (onnxruntime, torch); ``'gpu'`` (openvino); ``'vulkan'`` (ncnn).
        threads: intra-op threads (onnxruntime), OpenVINO / ncnn threads, ``torch.set_num_threads``.
        checkpoint: weights for the torch backend.
        meta: MMDeploy SDK folder with the preprocessing (onnxruntime, ncnn).
        kwargs: passed to the backend class.
    """
    name = normalize_backend(backend, model)
    if name == 'onnxruntime':
        from .pose_onnx import RTMPoseONNX
        return RTMPoseONNX(model, meta=meta, intra_op_threads=threads, device=device, **kwargs)
    if name == 'openvino':
        from .openvino_backend import RTMPoseOpenVINO
        return RTMPoseOpenVINO(model, meta=meta, num_threads=threads, device=device, **kwargs)
    if name == 'ncnn':
        from .ncnn_backend import RTMPoseNCNN
        return RTMPoseNCNN(model, meta=meta, num_threads=threads, device=device, **kwargs)
    from .torch_backend import RTMPoseTorch
    return RTMPoseTorch(model, checkpoint, device=device, num_threads=threads, **kwargs)


def build_detector(model: str | Path, backend: str | None = None, device: str = 'cpu', threads: int | None = None,
                   checkpoint: str | Path | None = None, score_thr: float = 0.3, **kwargs: Any):
    """A person detector on ``backend`` (default: guessed from the file).

    Args:
        model: MMDeploy RTMDet ONNX / SDK folder (onnxruntime, openvino), ``.param`` of a model cut before its NMS
            (ncnn, see :func:`~rtmpose.inference.export.strip_detector_nms`), or an MMDetection config ``.py``
            (torch).
        device, threads, checkpoint: as :func:`build_pose_model`.
        score_thr: detection score threshold.
        kwargs: passed to the backend class.
    """
    name = normalize_backend(backend, model)
    if name == 'onnxruntime':
        from .detector import RTMDetONNX
        return RTMDetONNX(model, score_thr=score_thr, intra_op_threads=threads, device=device, **kwargs)
    if name == 'openvino':
        from .openvino_backend import RTMDetOpenVINO
        return RTMDetOpenVINO(model, score_thr=score_thr, num_threads=threads, device=device, **kwargs)
    if name == 'ncnn':
        from .ncnn_backend import RTMDetNCNN
        return RTMDetNCNN(model, score_thr=score_thr, num_threads=threads, device=device, **kwargs)
    from .torch_backend import RTMDetTorch
    return RTMDetTorch(model, checkpoint, device=device, score_thr=score_thr, num_threads=threads, **kwargs)

"""One entry point for every runtime: :func:`build_pose_model` / :func:`build_detector` open the model file with
its runtime (:mod:`rtmpose.backends`) and read its settings (MMDeploy SDK meta, the network's declared shapes,
OpenMMLab config), giving one :class:`~.pose_model.TopDownPoseModel` / :class:`~.detector.Detector` whatever the
runtime, so :class:`~rtmpose.inference.PoseTracker` runs on any of them.

>>> det = build_detector('rtmdet-nano-person/', backend='onnxruntime', threads=2)
>>> pose = build_pose_model('rtmpose-m.onnx', backend='openvino', threads=2)  # the same ONNX file, OpenVINO runs it
>>> pose = build_pose_model('rtmpose-t.ncnn.param', backend='ncnn', threads=2)
>>> pose = build_pose_model('end2end.engine', backend='tensorrt', device='cuda:0')
>>> pose = build_pose_model('configs/rtmpose-m_coco.py', backend='torch', checkpoint='rtmpose-m.pth')
>>> pose = build_pose_model('rtmpose-m-wholebody')  # a name of the model table: downloaded once, then cached

A model name (:mod:`.model_zoo`) is downloaded into the cache; a local path is always accepted instead. The pose
model carries its keypoint set (``pose.keypoint_set``: names, skeleton, OKS sigmas, colours) from the model's own
metadata: the name's table entry, the config (torch), or the MMDeploy SDK folder's ``detail.json``; ``metainfo=``
overrides it (a dataset name or a metainfo file).

Keyword arguments are either model settings (``input_size``, ``mean``... which override what the files say) or
options of the runtime (``precision`` for OpenVINO, ``providers`` for ONNX Runtime...); anything else is a
``ValueError`` that lists what the runtime takes.
"""
from __future__ import annotations

import warnings
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..backends import Backend, open_backend
from ..inference.detector import BoxConfig, Detector, LetterboxConfig
from ..inference.pose_model import CropConfig, DecodeConfig, TopDownPoseModel
from ..metainfo import KeypointSet, keypoint_set_from_sdk, load_keypoint_set
from .model_zoo import fetch_model, get_entry, is_model_name
from .sdk_meta import read_det_sdk_meta, read_pose_sdk_meta, resolve_model, resolve_ncnn_model, sdk_batch_size

BACKENDS = ('onnxruntime', 'openvino', 'ncnn', 'tensorrt', 'torch')
_ALIASES = {'ort': 'onnxruntime', 'onnx': 'onnxruntime', 'ov': 'openvino', 'pytorch': 'torch', 'trt': 'tensorrt'}
_RUNS_ONNX = ('onnxruntime', 'openvino')  # runtimes that take ONNX files / MMDeploy SDK folders
_HINTS = {'ncnn': 'convert it with `pnnx model.onnx inputshape=[1,3,256,192]` (pose) or '
                  '`python -m rtmpose.deploy.onnx_graph strip-nms` then pnnx (detector) and pass the .param',
          'torch': 'pass an OpenMMLab config .py (and its checkpoint)',
          'onnxruntime': 'pass an .onnx file or an MMDeploy SDK folder',
          'openvino': 'pass an .onnx file or an MMDeploy SDK folder',
          'tensorrt': 'build an engine with tools/deploy.py and a TensorRT deploy config, and pass the .engine'}
_POSE_SETTINGS = ('input_size', 'mean', 'std', 'to_rgb', 'padding', 'simcc_split_ratio', 'num_keypoints')
_DET_SETTINGS = (*(f.name for f in fields(LetterboxConfig)), *(f.name for f in fields(BoxConfig)))


def guess_backend(model: str | Path) -> str:
    """The backend a model file is for: ``.py`` config -> ``torch``; ``.param``/``.bin`` or a folder with a
    ``.param`` -> ``ncnn``; ``.engine`` or a folder with ``end2end.engine`` -> ``tensorrt``; anything else
    (``.onnx``, MMDeploy ONNX SDK folder) -> ``onnxruntime``."""
    path = Path(model)
    suffix = path.suffix.lower()
    if suffix == '.py':
        return 'torch'
    if suffix in ('.param', '.bin'):
        return 'ncnn'
    if suffix == '.engine' or (path.is_dir() and (path / 'end2end.engine').exists()):
        return 'tensorrt'
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
        article = 'an' if guessed[0] in 'aeiou' else 'a'
        raise ValueError(f'{str(model)!r} is {article} {guessed} model, not for {name}: {_HINTS[name]}')
    return name


def build_pose_model(model: str | Path, backend: str | None = None, device: str = 'cpu',
                     threads: int | None = None, checkpoint: str | Path | None = None,
                     meta: str | Path | None = None, metainfo: KeypointSet | str | Path | None = None,
                     **kwargs: Any) -> TopDownPoseModel:
    """An RTMPose model on ``backend`` (default: guessed from the file; ``onnxruntime`` for a name).

    Args:
        model: a model name (``'rtmpose-m'``, see :mod:`.model_zoo`), ONNX file / MMDeploy SDK folder
            (onnxruntime, openvino), ``.param`` (ncnn), ``.engine`` / SDK folder (tensorrt), or config ``.py``
            (torch).
        device: ``'cpu'``; ``'cuda[:N]'`` (onnxruntime, tensorrt, torch); ``'gpu'`` (openvino); ``'vulkan'``
            (ncnn).
        threads: the runtime's threads (ONNX Runtime intra-op, OpenVINO, ncnn, ``torch.set_num_threads``).
        checkpoint: weights for the torch backend.
        meta: MMDeploy SDK folder with the preprocessing (default: the model's own folder when it is one).
        metainfo: the keypoint set (dataset name, MMPose metainfo file, config, or a
            :class:`~rtmpose.metainfo.KeypointSet`); default: the model's own metadata (``None`` when it has none:
            a 17-keypoint model is then taken as COCO-17 by the tracker, any other ``K`` is an error there).
        kwargs: settings (``input_size`` ``(w, h)``, ``mean``, ``std``, ``to_rgb``, ``padding``,
            ``simcc_split_ratio``, ``num_keypoints``) overriding the files', and options of the runtime.

    Raises:
        FileNotFoundError: a model, meta or checkpoint file is missing.
        ValueError: a file the backend cannot run, an unknown option or name, settings that contradict the
            network, or a keypoint set of another ``K`` than the model's.
        ~.download.DownloadError: a named model could not be downloaded (the message says where to put it).

    Warns:
        UserWarning: a torch model without a checkpoint (random weights), or an OpenVINO model compiled for another
            precision than asked (``model.backend.precision`` is what runs).
    """
    model, checkpoint, backend, named_set = _named(model, checkpoint, backend, 'pose')
    name = normalize_backend(backend, model)
    settings = _settings(kwargs, _POSE_SETTINGS)
    num_keypoints = settings.pop('num_keypoints', None)
    if name == 'torch':
        pose = _torch_pose_model(model, checkpoint, device, threads, settings, kwargs)
        found: Any = model
    else:
        _no_checkpoint(checkpoint, name)
        runtime, meta_dir = _open_file(name, model, 'RTMPose', device, threads, kwargs)
        info = read_pose_sdk_meta(_meta_dir(meta, meta_dir)) if (meta or meta_dir) else {}
        crop = _pose_crop(runtime, {**info, **settings})
        decode = _pose_decode(runtime, crop, settings.get('simcc_split_ratio') or info.get('simcc_split_ratio'))
        pose = TopDownPoseModel(runtime, crop, decode, num_keypoints)
        found = meta_dir
    pose.keypoint_set = _keypoint_set(metainfo or named_set, found, pose.num_keypoints)
    return pose


def _named(model: str | Path, checkpoint: str | Path | None, backend: str | None,
           task: str) -> tuple[str | Path, str | Path | None, str | None, str | None]:
    """``(model, checkpoint, backend, keypoints)`` with a model name replaced by its downloaded files."""
    if not is_model_name(model):
        return model, checkpoint, backend, None
    entry = get_entry(str(model), task)
    name = _ALIASES.get(backend.lower(), backend.lower()) if backend else 'onnxruntime'
    files, pth = fetch_model(entry.name, name, task)
    return files, checkpoint or pth, name, entry.keypoints


def _keypoint_set(given: KeypointSet | str | Path | None, found: Path | None,
                  num_keypoints: int) -> KeypointSet | None:
    """The model's keypoint set: ``given``, else from the config (``.py``) or SDK folder ``found``, else ``None``."""
    if given is not None:
        return load_keypoint_set(given, num_keypoints)
    if found is None:
        return None
    if Path(found).suffix == '.py':
        return load_keypoint_set(found, num_keypoints)
    try:
        return keypoint_set_from_sdk(found, num_keypoints)
    except ValueError:  # an SDK folder that does not say: the tracker decides (COCO-17 for K=17, else an error)
        return None


def _warn_precision(runtime: Backend, options: dict[str, Any]) -> None:
    """Warn when OpenVINO compiled another precision than the one asked for (e.g. bf16 on a CPU without it)."""
    asked = options.get('precision')
    actual = getattr(runtime, 'precision', None)
    if asked is not None and actual is not None and actual != asked:
        warnings.warn(f'{runtime.source}: OpenVINO runs {actual}, not the {asked} asked for (this device has no '
                      f'{asked} support)', stacklevel=3)


def build_detector(model: str | Path, backend: str | None = None, device: str = 'cpu', threads: int | None = None,
                   checkpoint: str | Path | None = None, meta: str | Path | None = None,
                   **kwargs: Any) -> Detector:
    """A detector on ``backend`` (default: guessed from the file); persons only unless ``det_cat_ids`` says.

    Args:
        model: a detector name (``'rtmdet-nano'``, see :mod:`.model_zoo`), MMDeploy RTMDet ONNX / SDK folder
            (onnxruntime, openvino), ``.param`` of a model cut before its NMS
            (ncnn, see :func:`~rtmpose.deploy.onnx_graph.strip_detector_nms`), ``.engine`` (tensorrt), or an
            MMDetection config ``.py`` (torch).
        device, threads, checkpoint, meta: as :func:`build_pose_model`.
        kwargs: settings of :class:`~.detector.LetterboxConfig` and :class:`~.detector.BoxConfig` (``score_thr``,
            ``det_cat_ids``, ``input_size``...), and options of the runtime; a named detector keeps its table
            entry's ``det_cat_ids`` unless given.
    """
    if is_model_name(model):  # the classes the named detector keeps (persons, hands, COCO's animals)
        kwargs.setdefault('det_cat_ids', get_entry(str(model), 'det').det_cat_ids)
    model, checkpoint, backend, _ = _named(model, checkpoint, backend, 'det')
    name = normalize_backend(backend, model)
    settings = _settings(kwargs, _DET_SETTINGS)
    if name == 'torch':
        return _torch_detector(model, checkpoint, device, threads, settings, kwargs)
    _no_checkpoint(checkpoint, name)
    runtime, meta_dir = _open_file(name, model, 'RTMDet detector', device, threads, kwargs)
    meta_dir = _meta_dir(meta, meta_dir)
    info = read_det_sdk_meta(meta_dir) if meta_dir else {}
    if meta_dir is not None and sdk_batch_size(meta_dir) == 1:
        runtime.batches = False  # MMDeploy's batch_size 1 export: its in-graph NMS does not batch
    letterbox = _pick(LetterboxConfig, {**info, **settings})
    return Detector(runtime, letterbox, _pick(BoxConfig, {**_det_outputs(runtime), **settings}))


def _open_file(name: str, model: str | Path, what: str, device: str, threads: int | None,
               options: dict[str, Any]) -> tuple[Backend, Path | None]:
    """The runtime ``name`` on the model file(s) of ``model``, and the SDK folder beside them (if any)."""
    options = {'device': device, **options, **({'threads': threads} if threads else {})}
    if name == 'ncnn':
        param, weights, meta_dir = resolve_ncnn_model(model, what)
        return open_backend(name, param, weights, **options), meta_dir
    default_net = 'end2end.engine' if name == 'tensorrt' else 'end2end.onnx'
    path, meta_dir = resolve_model(model, what, default_net)
    runtime = open_backend(name, path, **options)
    _warn_precision(runtime, options)
    return runtime, meta_dir


def _meta_dir(meta: str | Path | None, found: Path | None) -> Path | None:
    if meta is None:
        return found
    meta_dir = Path(meta).expanduser()
    if not (meta_dir / 'pipeline.json').is_file():
        raise FileNotFoundError(f'meta: no pipeline.json in {str(meta_dir)!r}; pass an MMDeploy SDK folder (with '
                                f'pipeline.json) or leave meta=None and give the settings')
    return meta_dir


def _settings(kwargs: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Take the model settings out of ``kwargs`` (the rest are runtime options); ``None`` means "not given"."""
    taken = {key: kwargs.pop(key) for key in names if key in kwargs}
    return {key: value for key, value in taken.items() if value is not None}


def _no_checkpoint(checkpoint: str | Path | None, name: str) -> None:
    if checkpoint is not None:
        raise ValueError(f'checkpoint={str(checkpoint)!r} is for the torch backend (an OpenMMLab config and its '
                         f'.pth); a {name} model file carries its weights')


def _pick(cls: type, values: dict[str, Any]) -> Any:
    """``cls(**values)`` with the keys it has, tuples for sequences."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in names})


def _pose_crop(runtime: Backend, values: dict[str, Any]) -> CropConfig:
    """The crop settings (explicit, else SDK meta, else the network's static input shape, else MMPose's)."""
    shape = runtime.inputs[0].shape
    if len(shape) != 4:
        raise ValueError(f'{runtime.source!r}: expected one (B, 3, h, w) input, got '
                         f'{[(p.name, p.shape) for p in runtime.inputs]}')
    declared = (shape[3], shape[2]) if isinstance(shape[3], int) and isinstance(shape[2], int) else None
    if values.get('input_size') is None and declared is not None:
        values = {**values, 'input_size': declared}
    crop = _pick(CropConfig, values)
    crop = CropConfig(tuple(int(v) for v in crop.input_size), crop.mean, crop.std, bool(crop.to_rgb),
                      float(crop.padding))
    if declared is not None and declared != crop.input_size:
        raise ValueError(f'{runtime.source!r} takes {declared[0]}x{declared[1]} (w x h) input, but the input size is '
                         f'set to {crop.input_size[0]}x{crop.input_size[1]}')
    return crop


def _pose_decode(runtime: Backend, crop: CropConfig, ratio: float | None) -> DecodeConfig:
    """Which outputs to read (SimCC, or keypoints decoded in the graph) and the split ratio (explicit, else the
    meta, else the declared ``simcc_x`` width over the input width, else 2.0)."""
    shapes = {port.name: port.shape for port in runtime.outputs}
    if 'simcc_x' in shapes and 'simcc_y' in shapes:
        names = ('simcc_x', 'simcc_y')
    elif 'keypoints' in shapes and 'scores' in shapes:
        return DecodeConfig(('keypoints', 'scores'), float(ratio or 2.0), in_graph=True)
    elif runtime.name == 'ncnn' and len(shapes) >= 2:  # pnnx names outputs out0, out1... in ONNX order
        names = ('out0', 'out1') if {'out0', 'out1'} <= set(shapes) else tuple(list(shapes)[:2])
    else:
        raise ValueError(f'{runtime.source!r}: outputs {list(shapes)} are neither "simcc_x"/"simcc_y" (MMDeploy '
                         f'RTMPose export) nor "keypoints"/"scores" (decode in the graph)')
    bins_x = shapes[names[0]][-1]
    if ratio is None:
        ratio = bins_x / crop.input_size[0] if isinstance(bins_x, int) else 2.0
    return DecodeConfig(names, float(ratio))


def _det_outputs(runtime: Backend) -> dict[str, Any]:
    """``output_names`` / ``nms_in_graph`` for the detector's outputs."""
    names = runtime.output_names
    if 'dets' in names and 'labels' in names:
        return {'output_names': ('dets', 'labels'), 'nms_in_graph': True}
    if 'boxes' in names and 'scores' in names:
        return {'output_names': ('boxes', 'scores'), 'nms_in_graph': False}
    pair = ('out0', 'out1') if {'out0', 'out1'} <= set(names) else tuple(names[:2])
    return {'output_names': pair, 'nms_in_graph': False}


def _torch_pose_model(config: str | Path, checkpoint: str | Path | None, device: str, threads: int | None,
                      settings: dict[str, Any], options: dict[str, Any]) -> TopDownPoseModel:
    from ..backends import check_options
    from ..backends.torch_backend import TorchBackend
    from .openmmlab import load_pose_network

    check_options('torch', options)
    if checkpoint is None:
        warnings.warn(f'{config}: no checkpoint, so the model has random weights and its keypoints mean nothing; '
                      f'pass checkpoint= (the .pth trained with this config) or a model name', stacklevel=3)
    net, crop, decode, num_keypoints = load_pose_network(config, checkpoint, device)
    crop = _pick(CropConfig, {**crop.__dict__, **settings})
    if settings.get('simcc_split_ratio'):
        decode = DecodeConfig(simcc_split_ratio=float(settings['simcc_split_ratio']))
    w, h = crop.input_size
    runtime = TorchBackend(net, ('batch', 3, h, w), decode.output_names, str(config), device, threads, **options)
    return TopDownPoseModel(runtime, crop, decode, num_keypoints)


def _torch_detector(config: str | Path, checkpoint: str | Path | None, device: str, threads: int | None,
                    settings: dict[str, Any], options: dict[str, Any]) -> Detector:
    from ..backends import check_options
    from ..backends.torch_backend import TorchBackend
    from .openmmlab import load_detector_network

    check_options('torch', options)
    net, letterbox = load_detector_network(config, checkpoint, device)
    letterbox = _pick(LetterboxConfig, {**letterbox.__dict__, **settings})
    w, h = letterbox.input_size
    runtime = TorchBackend(net, (1, 3, h, w), ('dets', 'labels'), str(config), device, threads, **options)
    return Detector(runtime, letterbox, _pick(BoxConfig, settings))

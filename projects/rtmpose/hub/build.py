"""One entry point for every backend: :func:`build_pose_model` / :func:`build_detector` open the model file with
its backend (:mod:`rtmpose.backends`) and read its settings (MMDeploy SDK meta, the network's declared shapes,
OpenMMLab config), giving one :class:`~.pose_model.TopDownPoseModel` / :class:`~.detector.Detector` whatever the
backend, so :class:`~rtmpose.inference.PoseTracker` runs on any of them.

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
options of the backend (``precision`` for OpenVINO, ``providers`` for ONNX Runtime...); anything else is a
``ValueError`` that lists what the backend takes.
"""
from __future__ import annotations

import warnings
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..backends import BACKENDS, Backend, backend_facts, backend_name, open_backend
from ..inference.detector import BoxConfig, Detector, LetterboxConfig
from ..inference.pose_model import CropConfig, DecodeConfig, TopDownPoseModel
from ..metainfo import KeypointSet, load_keypoint_set, model_keypoint_set
from ..utils.json_file import read_json
from .model_zoo import entry_backends, fetch_model, get_entry, is_model_name
from .sdk_meta import read_det_sdk_meta, read_pose_sdk_meta, resolve_model, resolve_ncnn_model, sdk_batch_size

_POSE_SETTINGS = ('input_size', 'mean', 'std', 'to_rgb', 'padding', 'simcc_split_ratio', 'num_keypoints')
_DET_SETTINGS = (*(f.name for f in fields(LetterboxConfig)), *(f.name for f in fields(BoxConfig)))


def guess_backend(model: str | Path) -> str:
    """The backend a model file or folder is for, from the backends' facts (:class:`~rtmpose.backends.BackendFacts`):
    a file by its suffix (``.py`` -> ``torch``, ``.param``/``.bin`` -> ``ncnn``, ``.engine`` -> ``tensorrt``, any
    other -> ``onnxruntime``); a folder by its ``deploy.json`` (the backend MMDeploy wrote it for), else by the files
    it holds (``*.param`` -> ``ncnn``, ``end2end.engine`` -> ``tensorrt``; the ONNX file, which ``tools/deploy.py``
    keeps beside every backend's files, counts last)."""
    return _backends_for(Path(model))[0]


def normalize_backend(backend: str | None, model: str | Path) -> str:
    """Canonical backend name (``None`` = guessed from ``model``); raises ``ValueError`` for unknown names and for
    a model that cannot run on the backend asked for (the message says how to get one that does)."""
    runs_on = _backends_for(Path(model))
    if backend is None:
        return runs_on[0]
    name = backend_name(backend)
    if name not in runs_on:
        raise ValueError(f'{str(model)!r} is a model for {runs_on[0]}, not for {name}: {_hint(name, Path(model))}')
    return name


def model_backends(model: str | Path) -> list[str]:
    """The backends that run ``model``: for a file or folder, the one it is for (:func:`guess_backend`) first, then
    the others that run its ONNX; for a model name, those the model table has files for
    (:func:`~.model_zoo.entry_backends`)."""
    return entry_backends(str(model)) if is_model_name(model) else _backends_for(Path(model))


def _backends_for(path: Path) -> list[str]:
    """The backends that run the model ``path``, the one it is for first (then those that also run its ONNX)."""
    if path.is_dir():
        written_for = _sdk_backend(path)
        found = [written_for] if written_for in BACKENDS else \
            [name for name in sorted(BACKENDS, key=lambda name: backend_facts(name).runs_onnx)
             if any(any(path.glob(pattern)) for pattern in backend_facts(name).folder_files)]
    else:
        found = [name for name in BACKENDS if path.suffix.lower() in backend_facts(name).suffixes]
    first = found[0] if found else BACKENDS[0]
    if not backend_facts(first).runs_onnx:
        return [first]
    return [first, *(name for name in BACKENDS if name != first and backend_facts(name).runs_onnx)]


def _sdk_backend(folder: Path) -> str | None:
    """The backend an MMDeploy SDK folder's ``deploy.json`` names (MMDeploy's backend names are ours), if any."""
    try:
        return str(read_json(folder / 'deploy.json', 'MMDeploy SDK file')['models'][0]['backend'])
    except (FileNotFoundError, ValueError, KeyError, IndexError, TypeError):
        return None


def _hint(name: str, model: Path) -> str:
    """How to get a model for the backend ``name`` from ``model``: its facts' hint, with the model's ONNX file and
    input shape (``1,3,h,w`` as the ONNX declares it) filled in."""
    onnx = model / backend_facts().sdk_net if model.is_dir() else model
    if onnx.suffix.lower() != '.onnx':
        onnx = Path('model.onnx')
    return backend_facts(name).hint.format(onnx=onnx, input_shape=_onnx_input_shape(onnx))


def _onnx_input_shape(onnx: Path) -> str:
    """``'1,3,h,w'`` of the model in an ONNX file: as the ONNX declares its first input, else as the SDK folder
    beside it says (``'1,3,H,W'`` where neither does)."""
    try:
        import onnx as onnx_lib

        dims = onnx_lib.load(str(onnx), load_external_data=False).graph.input[0].type.tensor_type.shape.dim
        if dims[2].dim_value and dims[3].dim_value:
            return f'1,3,{dims[2].dim_value},{dims[3].dim_value}'
    except Exception:  # no onnx package, not an ONNX file, another input layout: the SDK folder may say
        pass
    for read_meta in (read_pose_sdk_meta, read_det_sdk_meta):
        try:
            w, h = read_meta(onnx.parent)['input_size']
            return f'1,3,{h},{w}'
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            continue
    return '1,3,H,W'


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
        threads: the backend's threads (ONNX Runtime intra-op, OpenVINO, ncnn, ``torch.set_num_threads``).
        checkpoint: weights for the torch backend.
        meta: MMDeploy SDK folder with the preprocessing (default: the model's own folder when it is one).
        metainfo: the keypoint set (dataset name, MMPose metainfo file, config, or a
            :class:`~rtmpose.metainfo.KeypointSet`); default: the model's own metadata (``None`` when it has none:
            the tracker then takes the default set of the model's ``K``, :data:`~rtmpose.metainfo.DEFAULT_SETS`).
        kwargs: settings (``input_size`` ``(w, h)``, ``mean``, ``std``, ``to_rgb``, ``padding``,
            ``simcc_split_ratio``, ``num_keypoints``) overriding the files', and options of the backend.

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
        network, meta_dir = _open_file(name, model, 'RTMPose', device, threads, kwargs)
        info = read_pose_sdk_meta(_meta_dir(meta, meta_dir)) if (meta or meta_dir) else {}
        crop = _pose_crop(network, {**info, **settings})
        decode = _pose_decode(network, crop, settings.get('simcc_split_ratio') or info.get('simcc_split_ratio'))
        pose = TopDownPoseModel(network, crop, decode, num_keypoints)
        found = meta_dir
    pose.keypoint_set = _keypoint_set(metainfo or named_set, found, pose.num_keypoints)
    return pose


def _named(model: str | Path, checkpoint: str | Path | None, backend: str | None,
           task: str) -> tuple[str | Path, str | Path | None, str | None, str | None]:
    """``(model, checkpoint, backend, keypoints)`` with a model name replaced by its downloaded files."""
    if not is_model_name(model):
        return model, checkpoint, backend, None
    entry = get_entry(str(model), task)
    name = backend_name(backend) if backend else BACKENDS[0]
    files, pth = fetch_model(entry.name, name, task)
    return files, checkpoint or pth, name, entry.keypoints


def _keypoint_set(given: KeypointSet | str | Path | None, found: Path | None,
                  num_keypoints: int) -> KeypointSet | None:
    """The model's keypoint set: ``given``, else what its config (``.py``) or SDK folder ``found`` says, else ``None``
    (the tracker then takes the default set of its ``K``)."""
    if given is not None:
        return load_keypoint_set(given, num_keypoints)
    return None if found is None else model_keypoint_set(found, num_keypoints)


def _warn_precision(network: Backend, options: dict[str, Any]) -> None:
    """Warn when OpenVINO compiled another precision than the one asked for (e.g. bf16 on a CPU without it)."""
    asked = options.get('precision')
    actual = getattr(network, 'precision', None)
    if asked is not None and actual is not None and actual != asked:
        warnings.warn(f'{network.source}: OpenVINO runs {actual}, not the {asked} asked for (this device has no '
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
            ``det_cat_ids``, ``input_size``...), and options of the backend; a named detector keeps its table
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
    network, meta_dir = _open_file(name, model, 'RTMDet detector', device, threads, kwargs)
    meta_dir = _meta_dir(meta, meta_dir)
    info = read_det_sdk_meta(meta_dir) if meta_dir else {}
    if meta_dir is not None and sdk_batch_size(meta_dir) == 1:
        network.batches = False  # MMDeploy's batch_size 1 export: its in-graph NMS does not batch
    letterbox = _pick(LetterboxConfig, {**info, **settings})
    return Detector(network, letterbox, _pick(BoxConfig, {**_det_outputs(network), **settings}))


def _open_file(name: str, model: str | Path, what: str, device: str, threads: int | None,
               options: dict[str, Any]) -> tuple[Backend, Path | None]:
    """The backend ``name`` on the model file(s) of ``model``, and the SDK folder beside them (if any)."""
    options = {'device': device, **options, **({'threads': threads} if threads else {})}
    if name == 'ncnn':
        param, weights, meta_dir = resolve_ncnn_model(model, what)
        return open_backend(name, param, weights, **options), meta_dir
    path, meta_dir = resolve_model(model, what, backend_facts(name).sdk_net or backend_facts().sdk_net)
    network = open_backend(name, path, **options)
    _warn_precision(network, options)
    return network, meta_dir


def _meta_dir(meta: str | Path | None, found: Path | None) -> Path | None:
    if meta is None:
        return found
    meta_dir = Path(meta).expanduser()
    if not (meta_dir / 'pipeline.json').is_file():
        raise FileNotFoundError(f'meta: no pipeline.json in {str(meta_dir)!r}; pass an MMDeploy SDK folder (with '
                                f'pipeline.json) or leave meta=None and give the settings')
    return meta_dir


def _settings(kwargs: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Take the model settings out of ``kwargs`` (the rest are backend options); ``None`` means "not given"."""
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


def _pose_crop(network: Backend, values: dict[str, Any]) -> CropConfig:
    """The crop settings (explicit, else SDK meta, else the network's static input shape, else MMPose's)."""
    shape = network.inputs[0].shape
    if len(shape) != 4:
        raise ValueError(f'{network.source!r}: expected one (B, 3, h, w) input, got '
                         f'{[(p.name, p.shape) for p in network.inputs]}')
    declared = (shape[3], shape[2]) if isinstance(shape[3], int) and isinstance(shape[2], int) else None
    if values.get('input_size') is None and declared is not None:
        values = {**values, 'input_size': declared}
    crop = _pick(CropConfig, values)
    crop = CropConfig(tuple(int(v) for v in crop.input_size), crop.mean, crop.std, bool(crop.to_rgb),
                      float(crop.padding))
    if declared is not None and declared != crop.input_size:
        raise ValueError(f'{network.source!r} takes {declared[0]}x{declared[1]} (w x h) input, but the input size is '
                         f'set to {crop.input_size[0]}x{crop.input_size[1]}')
    return crop


def _pose_decode(network: Backend, crop: CropConfig, ratio: float | None) -> DecodeConfig:
    """Which outputs to read (SimCC, or keypoints decoded in the graph) and the split ratio (explicit, else the
    meta, else the declared ``simcc_x`` width over the input width, else 2.0)."""
    shapes = {port.name: port.shape for port in network.outputs}
    if 'simcc_x' in shapes and 'simcc_y' in shapes:
        names = ('simcc_x', 'simcc_y')
    elif 'keypoints' in shapes and 'scores' in shapes:
        return DecodeConfig(('keypoints', 'scores'), float(ratio or 2.0), in_graph=True)
    elif network.name == 'ncnn' and len(shapes) >= 2:  # pnnx names outputs out0, out1... in ONNX order
        names = ('out0', 'out1') if {'out0', 'out1'} <= set(shapes) else tuple(list(shapes)[:2])
    else:
        raise ValueError(f'{network.source!r}: outputs {list(shapes)} are neither "simcc_x"/"simcc_y" (MMDeploy '
                         f'RTMPose export) nor "keypoints"/"scores" (decode in the graph)')
    bins_x = shapes[names[0]][-1]
    if ratio is None:
        ratio = bins_x / crop.input_size[0] if isinstance(bins_x, int) else 2.0
    return DecodeConfig(names, float(ratio))


def _det_outputs(network: Backend) -> dict[str, Any]:
    """``output_names`` / ``nms_in_graph`` for the detector's outputs."""
    names = network.output_names
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
    network = TorchBackend(net, ('batch', 3, h, w), decode.output_names, str(config), device, threads, **options)
    return TopDownPoseModel(network, crop, decode, num_keypoints)


def _torch_detector(config: str | Path, checkpoint: str | Path | None, device: str, threads: int | None,
                    settings: dict[str, Any], options: dict[str, Any]) -> Detector:
    from ..backends import check_options
    from ..backends.torch_backend import TorchBackend
    from .openmmlab import load_detector_network

    check_options('torch', options)
    net, letterbox = load_detector_network(config, checkpoint, device)
    letterbox = _pick(LetterboxConfig, {**letterbox.__dict__, **settings})
    w, h = letterbox.input_size
    network = TorchBackend(net, (1, 3, h, w), ('dets', 'labels'), str(config), device, threads, **options)
    return Detector(network, letterbox, _pick(BoxConfig, settings))

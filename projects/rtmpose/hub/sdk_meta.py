"""Deployed model files: locating them (ONNX / ncnn files or an MMDeploy SDK folder) and reading the SDK's JSON
meta (``deploy.json``, ``pipeline.json``) into pose and detector settings."""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..utils.json_file import read_json


def resolve_model(model: str | Path, what: str, default_net: str = 'end2end.onnx') -> tuple[Path, Path | None]:
    """Find the model file (ONNX, TensorRT engine) and the MMDeploy SDK meta folder for ``model``.

    Args:
        model: a model file, or an MMDeploy SDK folder (``deploy.json`` names the net, default ``default_net``).
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
        net = _sdk_net_name(path) or default_net
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
        return read_json(deploy, 'MMDeploy SDK file')['models'][0]['net']
    except (KeyError, IndexError, TypeError):
        return None


def load_pipeline(meta_dir: str | Path) -> dict[str, Any]:
    """Read an MMDeploy SDK ``pipeline.json`` into ``{'transforms': [...], 'postprocess': {...} | None}``.

    ``transforms`` are the dicts of the ``Transform`` task in order; ``postprocess`` is the ``params`` of the
    post-processing task (``SimCCLabelDecode``, ``ResizeBBox``...) with its ``component`` name added.
    """
    meta_dir = Path(meta_dir)
    file = meta_dir / 'pipeline.json'
    if not file.is_file():
        raise FileNotFoundError(f'no pipeline.json in the MMDeploy SDK folder {str(meta_dir)!r}')
    tasks = read_json(file, 'MMDeploy SDK file').get('pipeline', {}).get('tasks', [])
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


def sdk_batch_size(meta_dir: Path) -> int | None:
    """``models[0].batch_size`` of an MMDeploy SDK ``deploy.json``, if any."""
    try:
        return int(read_json(meta_dir / 'deploy.json', 'MMDeploy SDK file')['models'][0]['batch_size'])
    except (FileNotFoundError, KeyError, IndexError, TypeError, ValueError):
        return None


def resolve_ncnn_model(model: str | Path, what: str) -> tuple[Path, Path, Path | None]:
    """Find ``(param, bin, meta_dir)`` for an ncnn model given as a ``.param`` or ``.bin`` file (its partner has the
    same stem) or a folder (an MMDeploy SDK folder naming them in ``deploy.json``, or a folder holding exactly one
    ``.param`` file). ``meta_dir`` is the folder holding a ``pipeline.json``, if any.

    Raises:
        FileNotFoundError: a file is missing (the message says which and how to make it).
        ValueError: a file that is not an ncnn model.
    """
    path = Path(model).expanduser()
    if not path.exists():
        raise FileNotFoundError(f'{what} ncnn model not found: {str(path)!r}. Pass the .param file (with its .bin '
                                f'next to it) made by pnnx, e.g. `pnnx model.onnx inputshape=[1,3,256,192]`.')
    if path.is_dir():
        folder = path
        param, weights = (folder / name for name in _ncnn_names(folder, what))
    else:
        folder = path.parent
        if path.suffix not in ('.param', '.bin'):
            raise ValueError(f'{what}: {str(path)!r} is not an ncnn model (.param / .bin); for ONNX files use '
                             f'backend="onnxruntime"')
        param, weights = path.with_suffix('.param'), path.with_suffix('.bin')
    for file in (param, weights):
        if not file.is_file():
            raise FileNotFoundError(f'{what}: ncnn file {str(file)!r} is missing (a .param needs its .bin)')
    return param, weights, folder if (folder / 'pipeline.json').is_file() else None


def _ncnn_names(folder: Path, what: str) -> tuple[str, str]:
    """``(param, bin)`` file names in an ncnn folder: from ``deploy.json``, else its one ``.param``."""
    try:
        entry = read_json(folder / 'deploy.json', 'MMDeploy SDK file')['models'][0]
        if str(entry['net']).endswith('.param'):
            return entry['net'], entry['weights']
    except (FileNotFoundError, KeyError, IndexError, TypeError):
        pass
    params = sorted(p.name for p in folder.glob('*.param') if not p.name.endswith('.pnnx.param'))
    if len(params) != 1:
        raise FileNotFoundError(f'{what}: expected one ncnn .param file in {str(folder)!r}, found {params}')
    return params[0], params[0][:-len('.param')] + '.bin'


def read_pose_sdk_meta(meta_dir: str | Path) -> dict[str, Any]:
    """Input size, padding, normalisation and SimCC split ratio from an MMDeploy SDK ``pipeline.json``.

    Raises:
        FileNotFoundError: no ``pipeline.json`` in ``meta_dir``.
        ValueError: the pipeline has no ``TopDownAffine``: it is not a top-down pose model's.
    """
    meta_dir = Path(meta_dir)
    pipeline = load_pipeline(meta_dir)
    transforms, post = pipeline['transforms'], pipeline['postprocess'] or {}
    info: dict[str, Any] = {}
    center_scale = find_transform(transforms, 'TopDownGetBboxCenterScale', 'GetBBoxCenterScale')
    if center_scale is not None and 'padding' in center_scale:
        info['padding'] = center_scale['padding']
    affine = find_transform(transforms, 'TopDownAffine', 'TopdownAffine')
    if affine is None:
        raise ValueError(f'{meta_dir}/pipeline.json has no TopDownAffine transform: not a top-down pose model')
    info['input_size'] = tuple(affine.get('image_size') or affine.get('input_size'))
    normalize = find_transform(transforms, 'Normalize')
    if normalize is not None:
        info.update(mean=normalize['mean'], std=normalize['std'], to_rgb=normalize.get('to_rgb', False))
    if 'simcc_split_ratio' in post:
        info['simcc_split_ratio'] = post['simcc_split_ratio']
    if post.get('use_dark'):
        warnings.warn(f'{meta_dir}/pipeline.json asks for DARK refinement, which is not applied here', stacklevel=3)
    return info


def read_det_sdk_meta(meta_dir: str | Path) -> dict[str, Any]:
    """Input size, pad value and normalisation from an MMDeploy SDK ``pipeline.json`` of a detector."""
    meta_dir = Path(meta_dir)
    transforms = load_pipeline(meta_dir)['transforms']
    meta: dict[str, Any] = {}
    resize = find_transform(transforms, 'Resize')
    if resize is not None:
        if not resize.get('keep_ratio', False):
            raise ValueError(f'{meta_dir}/pipeline.json: only keep-ratio Resize is supported, got {resize}')
        meta['input_size'] = tuple(resize['size'])
    for transform in transforms:
        if transform.get('type') == 'Pad' and 'size' in transform:
            meta['input_size'] = tuple(transform['size'])
            pad_val = transform.get('pad_val', 114.0)
            pad_val = pad_val.get('img', 114.0) if isinstance(pad_val, dict) else pad_val
            meta['pad_val'] = float(np.mean(pad_val))
    normalize = find_transform(transforms, 'Normalize')
    if normalize is not None:
        meta.update(mean=normalize['mean'], std=normalize['std'], to_rgb=normalize.get('to_rgb', False))
    return meta

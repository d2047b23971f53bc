"""The install extra (``setup.cfg``'s ``[options.extras_require]``) that provides a missing module, so that a feature
of a light install that needs more says which install command adds it."""
from __future__ import annotations

#: The extra and what it is, for the top-level modules the inference install does not have.
MODULE_EXTRAS = {
    **dict.fromkeys(('torch', 'torchvision', 'mmengine', 'mmcv', 'mmdet', 'mmpose', 'xtcocotools', 'pycocotools'),
                    ('train', 'the training stack')),
    **dict.fromkeys(('mmdeploy', 'onnx', 'pnnx'), ('deploy', 'the deployment stack')),
}


def install_hint(err: BaseException) -> str | None:
    """``"needs the training stack: pip install 'rtmpose[train]'"`` when ``err`` is the ``ModuleNotFoundError`` of a
    module of an extra, else ``None``."""
    name = getattr(err, 'name', None) if isinstance(err, ModuleNotFoundError) else None
    found = MODULE_EXTRAS.get((name or '').split('.')[0])
    if found is None:
        return None
    extra, what = found
    return f"needs {what}: pip install 'rtmpose[{extra}]'"


def explain(err: BaseException) -> str:
    """The message of ``err``, with the install command when it is a missing module of an extra."""
    hint = install_hint(err)
    return str(err) if hint is None else f'{err}; this {hint}'

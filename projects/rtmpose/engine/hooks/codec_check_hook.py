"""Stop a run whose ``codec`` no longer matches the copies of it that run, before anything is built from them."""
from collections.abc import Iterator

from mmengine.config import Config
from mmengine.hooks import Hook

from ...registry import HOOKS


class CodecOverrideError(ValueError):
    """The config's ``codec`` differs from the copies of it in the model and the pipelines."""


def _plain(value):
    """``value`` with config dicts as dicts and tuples as lists, for comparing values parsed from different sources."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _pipelines(cfg: Config) -> Iterator[tuple[str, list]]:
    """(dotted path, pipeline) of the dataloaders' pipelines and the pipeline-switch hooks' stage-2 pipelines."""
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        pipeline = (cfg.get(loader) or {}).get('dataset', {}).get('pipeline')
        if pipeline:
            yield f'{loader}.dataset.pipeline', pipeline
    for i, hook in enumerate(cfg.get('custom_hooks') or []):
        if hook.get('switch_pipeline'):
            yield f'custom_hooks.{i}.switch_pipeline', hook['switch_pipeline']


def _codec_keys(where: str, copy: dict, codec: dict) -> Iterator[tuple[str, object, object]]:
    """``(where.key, copy's value, codec's value)`` for every key of ``codec`` and of its ``copy``."""
    for key in dict.fromkeys([*codec, *copy]):
        yield f'{where}.{key}', copy.get(key), codec.get(key)


def codec_copies(cfg: Config) -> Iterator[tuple[str, object, object]]:
    """``(where, value there, the codec's value)`` for every place a parsed config copies its ``codec`` into, key by
    key: the head's ``decoder`` and ``input_size``, a top-level ``input_size``, and each pipeline's
    ``TopdownAffine.input_size`` and ``GenerateTarget.encoder``. Nothing for a config without a codec."""
    codec = cfg.get('codec')
    if not codec:
        return
    size = codec.get('input_size')
    head = cfg.get('model', {}).get('head') or {}
    if isinstance(head.get('decoder'), dict):
        yield from _codec_keys('model.head.decoder', head['decoder'], codec)
    if 'input_size' in head:
        yield 'model.head.input_size', head['input_size'], size
    if 'input_size' in cfg:
        yield 'input_size', cfg['input_size'], size
    for where, pipeline in _pipelines(cfg):
        for i, transform in enumerate(pipeline):
            if transform['type'] == 'TopdownAffine':
                yield f'{where}.{i}.input_size', transform.get('input_size'), size
            if transform['type'] == 'GenerateTarget' and isinstance(transform.get('encoder'), dict):
                yield from _codec_keys(f'{where}.{i}.encoder', transform['encoder'], codec)


def check_codec_in_use(cfg: Config) -> None:
    """Raise :class:`CodecOverrideError` naming every copy of ``cfg.codec`` that differs from it.

    A config copies its ``codec`` (and a top-level ``input_size``) into the head and the pipelines when it is parsed,
    so ``--cfg-options codec.input_size=...`` changes the dumped config but not the model or the crops that run.
    """
    differing = [(where, there, expected) for where, there, expected in codec_copies(cfg)
                 if _plain(there) != _plain(expected)]
    if not differing:
        return
    listed = '; '.join(f'{where} is {_plain(there)!r} (codec: {_plain(expected)!r})'
                       for where, there, expected in differing)
    raise CodecOverrideError(
        f'the config\'s codec is not what would run: {listed}. The codec is copied into the model and the pipelines '
        'when the config is parsed, so an override of codec (or input_size) alone, e.g. --cfg-options '
        'codec.input_size=..., would not take effect. Override the copies that run instead (the places named '
        'above, and model.head.in_featuremap_size with the input size), or write a config that inherits this one '
        'and sets codec and input_size, as configs/_base_/rtmpose_coco-384x288.py does.')


@HOOKS.register_module()
class CodecCheckHook(Hook):
    """Before the run (before weights are loaded), :func:`check_codec_in_use` on the run's config."""

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        check_codec_in_use(runner.cfg)

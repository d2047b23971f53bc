"""Does a checkpoint fit a model? One check for every place that loads RTMPose weights, with an error that says
which model the checkpoint is for (keypoint count, input size, widths).

Works on anything with a ``.shape`` (torch tensors, numpy arrays); imports neither torch nor OpenMMLab.
"""
import os.path as osp
import zipfile
from collections.abc import Mapping
from typing import Any


class CheckpointMismatchError(ValueError):
    """A checkpoint's weights do not fit the model built from the config."""


class CheckpointFileError(ValueError):
    """A file given as a checkpoint is not a PyTorch checkpoint (empty, an HTML page, truncated)."""


def model_weights(checkpoint: Mapping[str, Any]) -> dict[str, Any]:
    """The ``state_dict`` of an mmengine checkpoint (or the mapping itself), without ``module.`` prefixes."""
    state = checkpoint.get('state_dict', checkpoint)
    return {key.removeprefix('module.'): value for key, value in state.items() if hasattr(value, 'shape')}


def describe_pose_weights(state: Mapping[str, Any], simcc_split_ratio: float = 2.0) -> str:
    """What an RTMPose state dict is for, e.g. ``'17 keypoints, input 192x256 (width x height), backbone stem
    width 32, head in_channels 768'``, from the head's ``final_layer`` ``(K, C, k, k)``, ``cls_x`` ``(W*r, d)``,
    ``cls_y`` ``(H*r, d)`` and the backbone's first convolution."""
    parts = []
    final = state.get('head.final_layer.weight')
    if final is not None:
        parts.append(f'{final.shape[0]} keypoints')
    cls_x, cls_y = state.get('head.cls_x.weight'), state.get('head.cls_y.weight')
    if cls_x is not None and cls_y is not None:
        w, h = (round(t.shape[0] / simcc_split_ratio) for t in (cls_x, cls_y))
        parts.append(f'input {w}x{h} (width x height)')
    stem = state.get('backbone.stem.0.conv.weight')
    if stem is not None:
        parts.append(f'backbone stem width {stem.shape[0]}')
    if final is not None:
        parts.append(f'head in_channels {final.shape[1]}')
    parts.append(f'{len(state)} tensors')
    return ', '.join(parts)


def check_weights_fit(model_state: Mapping[str, Any], checkpoint: Mapping[str, Any], source: str,
                      simcc_split_ratio: float = 2.0) -> None:
    """Raise :class:`CheckpointMismatchError` unless every tensor of ``model_state`` (``model.state_dict()``) is in
    ``checkpoint`` with the same shape.

    Args:
        model_state: The model's state dict.
        checkpoint: An mmengine checkpoint or a state dict.
        source: The checkpoint's name for the message (its path).
        simcc_split_ratio: The model's SimCC split ratio, to report input sizes.
    """
    state = model_weights(checkpoint)
    differ = [(k, tuple(state[k].shape), tuple(v.shape)) for k, v in model_state.items()
              if k in state and tuple(state[k].shape) != tuple(v.shape)]
    # BatchNorm's step counters are not weights (and some older checkpoints lack them)
    missing = [k for k in model_state if k not in state and not k.endswith('num_batches_tracked')]
    if not differ and not missing:
        return
    problems = []
    if differ:
        key, theirs, ours = differ[0]
        problems.append(f'{len(differ)} tensors differ in shape (e.g. {key}: {theirs} in the checkpoint, {ours} in '
                        'the model)')
    if missing:
        problems.append(f'{len(missing)} of the model\'s {len(model_state)} tensors are not in it (e.g. {missing[0]})')
    raise CheckpointMismatchError(
        f'checkpoint {source} does not fit this model: {"; ".join(problems)}. The checkpoint is for a model with '
        f'{describe_pose_weights(state, simcc_split_ratio)}; the config builds one with '
        f'{describe_pose_weights(model_state, simcc_split_ratio)}. Use the config the checkpoint was trained with, '
        'or a checkpoint of this config.')


def check_checkpoint_file(path: str) -> None:
    """Raise :class:`CheckpointFileError` if the local file ``path`` cannot be a PyTorch checkpoint: empty, not
    starting like one (a zip archive or a pickle), e.g. the HTML error page of a failed download, or a zip archive
    cut short (its directory at the end is missing: an interrupted copy or download)."""
    if not osp.isfile(path):
        return
    with open(path, 'rb') as f:
        head = f.read(64)
    if not head:
        problem = 'it is empty (0 bytes)'
    elif head.startswith(b'PK') and not zipfile.is_zipfile(path):
        problem = 'it is cut short (the end of its zip archive is missing)'
    elif head.startswith(b'PK') or head[:1] == b'\x80':
        return
    elif head.lstrip().startswith(b'<'):
        problem = 'it is an HTML/XML page, not weights (a download that returned an error page?)'
    else:
        problem = f'it does not start like one (first bytes {head[:8]!r})'
    raise CheckpointFileError(f'{path} is not a PyTorch checkpoint: {problem}. Download or copy the .pth file again.')

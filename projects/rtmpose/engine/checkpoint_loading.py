"""Load mmengine checkpoints (ours and OpenMMLab's official ones) under torch >= 2.6.

torch 2.6 made ``torch.load`` default to ``weights_only=True``. mmengine 0.10.7 does not pass ``weights_only``, and
its checkpoints carry numpy metadata and ``HistoryBuffer`` objects, so ``--resume``, ``mim test --checkpoint`` and
``load_from`` fail with ``UnpicklingError``. These loaders replace mmengine's for local paths and http(s) URLs and
load with ``weights_only=False``: a checkpoint named in a config or on the command line is trusted, as mmengine
assumes and as torch did before 2.6.
"""
import os
import os.path as osp

import torch
from mmengine.runner.checkpoint import CheckpointLoader


@CheckpointLoader.register_scheme(prefixes='', force=True)
def load_from_local(filename: str, map_location=None) -> dict:
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return torch.load(filename, map_location=map_location, weights_only=False)


@CheckpointLoader.register_scheme(prefixes=('http://', 'https://'), force=True)
def load_from_http(filename: str, map_location=None, model_dir: str | None = None,
                   progress: bool = os.isatty(0)) -> dict:
    return torch.hub.load_state_dict_from_url(filename, model_dir=model_dir, map_location=map_location,
                                              progress=progress, weights_only=False)

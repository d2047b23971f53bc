"""The model names (:mod:`rtmpose.hub.model_zoo`) and which of their files are in the cache.

    rtmpose models [--task pose|det]

One line per name: the name, its task, its keypoint set (pose models) or the detector's classes, and what the cache
(``$RTMPOSE_CACHE``, else ``~/.cache/rtmpose``) holds of it: ``onnx`` (the MMDeploy SDK zip: onnxruntime,
openvino), ``pth`` (the torch checkpoint), or ``-`` (downloaded on first use).
"""
from __future__ import annotations

import argparse

from ..hub.download import cache_dir
from ..hub.model_zoo import MODELS, cached_files, model_names

#: How each cached file is shown.
FILE_LABELS = {'sdk_zip': 'onnx', 'checkpoint': 'pth'}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='rtmpose models', description=__doc__.split('\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument('--task', choices=('pose', 'det'), help='pose models or detectors only')
    return parser.parse_args(argv)


def model_lines(task: str | None = None) -> list[str]:
    """The table: a header, then one line per model name."""
    rows = [('name', 'task', 'keypoints / classes', 'cached')]
    for name in model_names(task):
        entry = MODELS[name]
        what = entry.keypoints if entry.task == 'pose' else f'class ids {",".join(map(str, entry.det_cat_ids))}'
        cached = ', '.join(FILE_LABELS[kind] for kind in cached_files(name)) or '-'
        rows.append((name, entry.task, what, cached))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [' '.join(cell.ljust(width) for cell, width in zip(row, widths)) + ' ' + row[3] for row in rows]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print('\n'.join(model_lines(args.task)))
    print(f'cache: {cache_dir()}')
    return 0

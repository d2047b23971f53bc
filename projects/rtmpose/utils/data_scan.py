"""Checks of a keypoint dataset's contents before training starts: the annotations as MMPose parsed them, and the
image files; every message names the file and the fix.

``python -m rtmpose.utils.data_scan CONFIG`` scans the images of a config's datasets (each file exists and its
first and last bytes are those of a complete JPEG/PNG) without decoding them.
"""
import argparse
import os
import os.path as osp
import sys
from collections.abc import Iterable, Sequence

import numpy as np


class DataError(ValueError):
    """A dataset's annotations or images cannot be trained or tested on."""


def check_instances(instances: Sequence[dict], num_keypoints: int, ann_file: str, dataset: str,
                    test_mode: bool) -> None:
    """Check the instances MMPose parsed from ``ann_file`` (``data_list`` items with ``keypoints`` ``(1, K, 2)``,
    ``keypoints_visible`` ``(1, K)`` and ``bbox`` ``(1, 4)``).

    Raises:
        DataError: no instances (e.g. every box empty), a keypoint count other than the dataset's ``num_keypoints``,
            NaN/inf coordinates, or (for training) no labelled keypoint at all.
    """
    if not instances:
        raise DataError(f'{dataset}: {ann_file} gives no person to {"test" if test_mode else "train"} on: every '
                        'annotation was dropped (empty boxes, or no "annotations"). Check that the boxes are '
                        '[x, y, width, height] with positive width and height.')
    labelled = 0
    for item in instances:
        kpts = np.asarray(item.get('keypoints', np.zeros((1, 0, 2))))
        where = f'{dataset}: {ann_file}, image {item.get("img_path") or item.get("img_id")}'
        if kpts.shape[-2] != num_keypoints:
            raise DataError(f'{where}: an annotation has {kpts.shape[-2]} keypoints, the dataset has '
                            f'{num_keypoints}. Use annotations of this keypoint set, or a dataset/metainfo '
                            '(dataset metainfo=dict(from_file=...)) and model (head.out_channels) for theirs.')
        if not (np.isfinite(kpts).all() and np.isfinite(np.asarray(item.get('bbox', 0.0), float)).all()):
            raise DataError(f'{where}: an annotation holds NaN or infinite keypoint/box values. Fix or drop it.')
        labelled += int(np.count_nonzero(np.asarray(item.get('keypoints_visible', 0)) > 0))
    if not test_mode and labelled == 0:
        raise DataError(f'{dataset}: {ann_file} has no labelled keypoint (every visibility flag is 0): training '
                        'would learn nothing. Check the annotations\' "keypoints" [x, y, v, ...] triplets.')


_MAGIC = {b'\xff\xd8': b'\xff\xd9', b'\x89P': b'IEND\xaeB`\x82'}  # JPEG start/end; PNG signature/IEND chunk


def image_problem(path: str) -> str | None:
    """Why ``path`` is not a complete JPEG/PNG file (missing, empty, unknown start, truncated), or ``None``.
    Reads 2 bytes at each end; other formats pass when they exist and are not empty."""
    if not osp.isfile(path):
        return 'missing'
    size = osp.getsize(path)
    if size == 0:
        return 'empty'
    with open(path, 'rb') as f:
        head = f.read(2)
        f.seek(max(size - 16, 0))
        tail = f.read()
    end = _MAGIC.get(head)
    if end is not None and end not in tail:  # JPEGs may carry a few bytes of padding after FF D9
        return 'truncated (no end marker)'
    return None


def scan_images(paths: Iterable[str], limit: int = 20) -> list[str]:
    """``'path: problem'`` for each image of ``paths`` that :func:`image_problem` rejects (at most ``limit``)."""
    problems = []
    for path in dict.fromkeys(paths):
        problem = image_problem(path)
        if problem:
            problems.append(f'{path}: {problem}')
            if len(problems) >= limit:
                break
    return problems


def check_images_exist(paths: Iterable[str], dataset: str) -> None:
    """Raise :class:`DataError` naming the first images of ``paths`` that are missing or empty (one ``stat`` each)."""
    bad = [p for p in dict.fromkeys(paths) if not (osp.isfile(p) and os.stat(p).st_size > 0)]
    if bad:
        raise DataError(f'{dataset}: {len(bad)} image(s) missing or empty, e.g. {", ".join(bad[:3])}. Put them back, '
                        'or drop their annotations; python -m rtmpose.utils.data_scan CONFIG also finds truncated '
                        'ones.')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description='Scan the images of a config\'s datasets for missing, empty or '
                                     'truncated files.')
    parser.add_argument('config')
    args = parser.parse_args(argv)
    from mmengine.config import Config
    from mmengine.registry import DefaultScope, init_default_scope

    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    from mmpose.registry import DATASETS

    failed = 0
    for loader in ('train_dataloader', 'val_dataloader'):
        with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
            dataset = DATASETS.build(dict(cfg[loader].dataset, pipeline=[], lazy_init=False))
        problems = scan_images(dataset.get_data_info(i)['img_path'] for i in range(len(dataset)))
        failed += len(problems)
        print(f'{loader}: {len(dataset)} instances, {len(problems)} bad image(s)')
        for line in problems:
            print(f'  {line}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

"""Checks of a keypoint dataset's contents before training starts: the annotations as MMPose parsed them, and the
image files; every message names the file and the fix.

An image is checked without decoding its pixels (:func:`image_problem`): it exists and is not empty, a JPEG/PNG
ends with its end marker, and PIL parses its header (``Image.open`` + ``verify``: format, size, mode, and for a PNG
the checksums of its chunks), a few percent of the time of decoding it with ``cv2.imread``; a file PIL does not know
is decoded by OpenCV, the reader of MMPose's ``LoadImage``. Pixel data damaged behind an intact header is left to
the reader.

``python -m rtmpose.utils.data_scan CONFIG [--cfg-options ...]`` builds a config's datasets and lists their bad
images.
"""
import argparse
import os.path as osp
import struct
import sys
from collections.abc import Iterable, Sequence

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError


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
#: what PIL raises for a header it cannot parse
_HEADER_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)


class BadImagesError(DataError):
    """Images of a dataset that cannot be read; ``problems`` lists ``'path: problem'`` (the first 20)."""

    def __init__(self, dataset: str, problems: list[str], count: int) -> None:
        super().__init__(f'{dataset}: {count} image(s) cannot be read, e.g. {"; ".join(problems[:3])}. Put good '
                         'copies there, or drop their annotations; python -m rtmpose.utils.data_scan CONFIG lists '
                         'them.')
        self.problems, self.count = problems, count


def image_problem(path: str) -> str | None:
    """Why ``path`` is not a readable image (missing, empty, truncated, not an image), or ``None``; see the module
    docstring for what is checked."""
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
    try:
        with Image.open(path) as image:
            image.verify()
    except UnidentifiedImageError:
        return None if cv2.imread(path, cv2.IMREAD_UNCHANGED) is not None else 'not an image (PIL and OpenCV ' \
            'cannot read it)'
    except _HEADER_ERRORS as err:
        return f'damaged ({type(err).__name__}: {err})'
    return None


def scan_images(paths: Iterable[str], limit: int = 20) -> tuple[list[str], int]:
    """``('path: problem'`` for the first ``limit`` images of ``paths`` that :func:`image_problem` rejects, their
    number``)``."""
    problems, count = [], 0
    for path in dict.fromkeys(paths):
        problem = image_problem(path)
        if problem:
            count += 1
            if len(problems) < limit:
                problems.append(f'{path}: {problem}')
    return problems, count


def check_images(paths: Iterable[str], dataset: str) -> None:
    """Raise :class:`BadImagesError` naming the images of ``paths`` that :func:`image_problem` rejects."""
    problems, count = scan_images(paths)
    if count:
        raise BadImagesError(dataset, problems, count)


def main(argv: list[str] | None = None) -> int:
    """Exit code 0: every image reads, 1: bad images (listed), 2: the datasets cannot be built (the message says
    why)."""
    from mmengine.config import Config, DictAction
    from mmengine.registry import init_default_scope

    parser = argparse.ArgumentParser(description='Scan the images of a config\'s datasets for missing, empty, '
                                     'truncated or undecodable files.')
    parser.add_argument('config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='override config settings, as in '
                        'mim train (e.g. train_dataloader.dataset.data_root=/data/coco/)')
    args = parser.parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    failed = 0
    for loader in ('train_dataloader', 'val_dataloader'):
        try:
            problems, count, size = _scan_loader(cfg, loader)
        except (FileNotFoundError, DataError) as err:  # missing data folders (MissingInputError), bad annotations
            print(f'error: {loader}: {err}', file=sys.stderr)
            return 2
        failed += count
        print(f'{loader}: {"" if size is None else f"{size} instances, "}{count} bad image(s)')
        for line in problems:
            print(f'  {line}')
    return 1 if failed else 0


def _scan_loader(cfg, loader: str) -> tuple[list[str], int, int | None]:
    """``(problems, number of bad images, number of instances or None)`` of the dataset of ``cfg[loader]``, built as
    a run builds it: our checked datasets scan their images while they load (:class:`BadImagesError`), others are
    scanned here."""
    from mmengine.registry import DefaultScope
    from mmpose.registry import DATASETS

    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        try:
            dataset = DATASETS.build(dict(cfg[loader].dataset, pipeline=[], lazy_init=False))
        except BadImagesError as err:
            return err.problems, err.count, None
    if getattr(dataset, 'scans_images', False):
        return [], 0, len(dataset)
    problems, count = scan_images(dataset.get_data_info(i)['img_path'] for i in range(len(dataset)))
    return problems, count, len(dataset)


if __name__ == '__main__':
    sys.exit(main())

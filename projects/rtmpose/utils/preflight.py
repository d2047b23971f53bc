"""Checks that the files a run needs exist, with errors that name the path and say what to do."""
import os.path as osp

from .checkpoint_fit import check_checkpoint_file


class MissingInputError(FileNotFoundError):
    """A file or folder named in the config does not exist."""


def _join(root: str | None, path: str | None) -> str | None:
    if not path:
        return None
    return path if osp.isabs(path) or not root else osp.join(root, path)


def check_dataset_files(dataset: str,
                        data_root: str | None,
                        ann_file: str | None,
                        data_prefix: dict | None,
                        bbox_file: str | None,
                        hint: str) -> None:
    """Raise :class:`MissingInputError` if the dataset folder, annotation file, image folder or detection-box file
    of a dataset config is missing. ``hint`` tells where the data should come from."""
    override = 'or point the config at your copy with --cfg-options <loader>.dataset.data_root=/path/'
    if data_root and not osp.isdir(data_root):
        raise MissingInputError(f'{dataset}: dataset folder not found: {data_root!r}. {hint}; {override}')
    ann = _join(data_root, ann_file)
    if ann and not osp.isfile(ann):
        raise MissingInputError(f'{dataset}: annotation file not found: {ann!r}. {hint}; {override}')
    img = _join(data_root, (data_prefix or {}).get('img'))
    if img and not osp.isdir(img):
        raise MissingInputError(f'{dataset}: image folder not found: {img!r}. {hint}; {override}')
    if bbox_file and not osp.isfile(bbox_file):
        raise MissingInputError(
            f'{dataset}: person detection file not found: {bbox_file!r}. Put the detector boxes there (for COCO: '
            'COCO_val2017_detections_AP_H_56_person.json from the MMPose data preparation guide) or test on '
            'ground-truth boxes with --cfg-options test_dataloader.dataset.bbox_file=None')


def check_annotation_file(ann_file: str | None, owner: str) -> None:
    """Raise :class:`MissingInputError` if the ground-truth ``ann_file`` of the metric ``owner`` is missing."""
    if ann_file and not osp.isfile(ann_file):
        raise MissingInputError(f'{owner}: ground-truth annotation file not found: {ann_file!r}. Put it there or '
                                'override it with --cfg-options val_evaluator.ann_file=PATH '
                                'test_evaluator.ann_file=PATH')


def check_checkpoint(path: str | None) -> None:
    """Raise :class:`MissingInputError` if the local checkpoint ``path`` (``load_from`` / ``--checkpoint``) is
    missing, and :class:`~rtmpose.utils.checkpoint_fit.CheckpointFileError` if it is not a PyTorch checkpoint (empty,
    an HTML page); URLs are left to the loader."""
    if not path or '://' in path:
        return
    if not osp.isfile(path):
        raise MissingInputError(f'checkpoint not found: {path!r} (load_from / --checkpoint). Pass an existing .pth '
                                'file or an http(s) URL, e.g. an official checkpoint from the README model zoo.')
    check_checkpoint_file(path)

"""Stop a run whose dataset's keypoint set does not fit the model, or is wrong itself, before the first batch."""
from typing import Any

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ...metainfo import keypoint_set_from_dataset_meta
from ...registry import HOOKS
from ...utils.data_scan import DataError


@HOOKS.register_module()
class KeypointCountHook(Hook):
    """Before training (and testing), check each dataset's keypoint set (its MMPose ``metainfo``): the count against
    the pose head's ``out_channels`` (MMPose would fail at the first loss with ``Expected size 17 but got size 21``);
    the set itself (sigmas, joint weights and colours of its keypoint count, consistent flip pairs, names that do not
    repeat: :class:`~rtmpose.metainfo.KeypointSet`); and OKS sigmas where a COCO metric of the validation (test)
    will use them (MMPose would fail at the first validation, after an epoch, with ``shapes (17,) (16,)``)."""

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        self._check(runner, runner.train_dataloader, 'train_dataloader')
        val_loop = getattr(runner, 'val_loop', None)
        if hasattr(val_loop, 'evaluator'):
            self._check(runner, val_loop.dataloader, 'val_dataloader', val_loop.evaluator)

    def before_test(self, runner) -> None:
        test_loop = getattr(runner, 'test_loop', None)
        self._check(runner, runner.test_dataloader, 'test_dataloader', getattr(test_loop, 'evaluator', None))

    @staticmethod
    def _check(runner, loader, name: str, evaluator: Any = None) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        predicted = getattr(getattr(model, 'head', None), 'out_channels', None)
        dataset = getattr(loader, 'dataset', None)
        meta = getattr(dataset, 'metainfo', {})
        expected = meta.get('num_keypoints')
        if predicted is not None and expected is not None and predicted != expected:
            raise DataError(f'{name}: {type(dataset).__name__} has {expected} keypoints, the model predicts '
                            f'{predicted} (model.head.out_channels). Set head.out_channels={expected} (and the '
                            'codec/flip settings of that keypoint set), or use a dataset of the model\'s keypoints.')
        if 'flip_indices' in meta:  # MMPose's parsed metainfo of a pose dataset
            _check_keypoint_set(meta, _metainfo_source(runner, name), evaluator)


def _check_keypoint_set(meta: dict, source: str, evaluator: Any) -> None:
    """``DataError`` (naming ``source`` and the fix) for a wrong keypoint set, or one without the OKS sigmas that a
    COCO metric of ``evaluator`` needs."""
    from mmpose.evaluation.metrics import CocoMetric

    try:
        kset = keypoint_set_from_dataset_meta(meta, source)
        for metric in getattr(evaluator, 'metrics', []):
            if isinstance(metric, CocoMetric):
                kset.require_sigmas(type(metric).__name__)
    except ValueError as err:
        raise DataError(str(err)) from err


def _metainfo_source(runner, name: str) -> str:
    """``'<from_file> (<name>.dataset.metainfo)'``, or which dataset's metainfo it is when the config names no file."""
    cfg = getattr(runner, 'cfg', None) or {}
    dataset = (cfg.get(name) or {}).get('dataset') or {}
    metainfo = dataset.get('dataset', dataset).get('metainfo') or {}
    from_file = metainfo.get('from_file') if isinstance(metainfo, dict) else None
    return f'{from_file} ({name}.dataset.metainfo)' if from_file else f'the metainfo of {name}.dataset'

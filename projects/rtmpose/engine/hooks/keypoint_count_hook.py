"""Stop a run whose dataset has another keypoint count than the model predicts, before the first batch."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ...registry import HOOKS
from ...utils.data_scan import DataError


@HOOKS.register_module()
class KeypointCountHook(Hook):
    """Before training (and testing), compare the dataset's ``metainfo['num_keypoints']`` with the pose head's
    ``out_channels``; MMPose would fail at the first loss with ``Expected size 17 but got size 21``."""

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        self._check(runner, runner.train_dataloader, 'train_dataloader')

    def before_test(self, runner) -> None:
        self._check(runner, runner.test_dataloader, 'test_dataloader')

    @staticmethod
    def _check(runner, loader, name: str) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        predicted = getattr(getattr(model, 'head', None), 'out_channels', None)
        dataset = getattr(loader, 'dataset', None)
        expected = getattr(dataset, 'metainfo', {}).get('num_keypoints')
        if predicted is not None and expected is not None and predicted != expected:
            raise DataError(f'{name}: {type(dataset).__name__} has {expected} keypoints, the model predicts '
                            f'{predicted} (model.head.out_channels). Set head.out_channels={expected} (and the '
                            'codec/flip settings of that keypoint set), or use a dataset of the model\'s keypoints.')

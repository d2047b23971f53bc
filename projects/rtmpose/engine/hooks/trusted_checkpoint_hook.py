"""Load the checkpoints a run names under torch >= 2.6, and only those."""
from contextlib import ExitStack

from mmengine.hooks import Hook

from ...registry import HOOKS
from ..checkpoint_loading import trusted_checkpoints


@HOOKS.register_module()
class TrustedCheckpointHook(Hook):
    """Load the checkpoints the run names (``load_from`` / ``mim test --checkpoint``, ``--resume``, ``init_cfg``
    pretrained weights) with :func:`~rtmpose.engine.trusted_checkpoints`.

    mmengine's runner loads them between the ``before_run`` hooks and the start of its loop (``Runner.train``: init
    weights, then load or resume; ``Runner.val`` / ``Runner.test``: load). This hook installs the trusted loaders in
    ``before_run`` and restores mmengine's in ``before_train`` / ``before_val`` / ``before_test`` (and ``after_run``),
    so nothing else in the run, and nothing outside it, loads with ``weights_only=False``.

    MMPose's ``tools/train.py`` / ``tools/test.py`` (run by ``mim train`` / ``mim test``) build a plain mmengine
    ``Runner`` whatever the config's ``runner_type``, so a hook is where a config can scope this:
    ``custom_hooks = [dict(type='TrustedCheckpointHook'), ...]`` with ``default_scope = 'rtmpose'``.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._trusted = ExitStack()

    def before_run(self, runner) -> None:
        self._trusted.enter_context(trusted_checkpoints())

    def _restore(self, runner) -> None:
        self._trusted.close()

    before_train = before_val = before_test = after_run = _restore

"""Keep the OpenMMLab stack's known-harmless warnings out of a run's output."""
from mmengine.hooks import Hook

from ...registry import HOOKS
from ...utils.known_warnings import KnownNotesFilter, ignore_known_warnings


@HOOKS.register_module()
class KnownWarningsHook(Hook):
    """Leave out of ``mim train`` / ``mim test``'s output the warnings and log notes that
    :mod:`rtmpose.utils.known_warnings` lists (third-party notes about the third party's own code, each matched by
    category, message and emitting module); our own warnings and every other one show as usual.

    The warning filters are installed when the hook is built, before the model's first forward pass, for the rest of
    the process; the log notes are dropped from the runner's logger from ``before_run`` to ``after_run``.
    """

    priority = 'HIGHEST'

    def __init__(self) -> None:
        ignore_known_warnings()
        self._notes = KnownNotesFilter()

    def before_run(self, runner) -> None:
        runner.logger.addFilter(self._notes)

    def after_run(self, runner) -> None:
        runner.logger.removeFilter(self._notes)

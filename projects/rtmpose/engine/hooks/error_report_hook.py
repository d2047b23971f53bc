"""Report a run's input errors as the last thing it prints, without a traceback through mmengine's internals."""
import os
import sys

from mmengine.hooks import Hook
from mmengine.logging import MMLogger

from ...registry import HOOKS
from ...utils.checkpoint_fit import CheckpointFileError, CheckpointMismatchError
from ...utils.data_scan import DataError
from ...utils.preflight import MissingInputError
from .codec_check_hook import CodecOverrideError
from .finite_check_hook import DivergedError
from .work_dir_lock_hook import WorkDirInUseError

#: the errors whose message names the file (or setting) at fault and the fix: the traceback adds nothing for a user
USER_ERRORS = (MissingInputError, DataError, CheckpointMismatchError, CheckpointFileError, DivergedError,
               WorkDirInUseError, CodecOverrideError)
#: set to 1 to print the full traceback of those errors too
TRACEBACK_ENV = 'RTMPOSE_TRACEBACK'


def report(exc: BaseException) -> str:
    """The block printed for a user error: what stopped the run, then the message (last)."""
    return (f'\n{"-" * 60}\nrtmpose: the run stopped ({type(exc).__name__}); nothing already saved was changed '
            f'(full traceback: run again with {TRACEBACK_ENV}=1)\n{exc}')


def _excepthook(previous):
    def hook(exc_type, exc, tb):
        _restore()  # an uncaught exception ends the run: whatever comes after is reported as before
        if not issubclass(exc_type, USER_ERRORS) or os.environ.get(TRACEBACK_ENV) == '1':
            previous(exc_type, exc, tb)
            return
        # through the runner's logger: on the console after everything else it printed, and in the work dir's log
        MMLogger.get_current_instance().error(report(exc))
    hook.previous = previous
    return hook


@HOOKS.register_module()
class ErrorReportHook(Hook):
    """Print the run's input errors (missing or broken data, a checkpoint that does not fit, a diverged loss) as one
    block that ends the output of ``mim train`` / ``mim test``'s training or test script: what stopped the run and
    the message naming the file and the fix, instead of a traceback through mmengine's runner (``RTMPOSE_TRACEBACK=1``
    keeps it). Other exceptions print their traceback as usual.

    The errors are raised while the runner builds its loops or runs them, after the hooks are built, so the report is
    installed (as ``sys.excepthook``, for the uncaught exception that ends the process) when this hook is built. The
    hook that was there before is put back when the run ends (``after_run``) or when the report has been given.
    """

    def __init__(self) -> None:
        if getattr(sys.excepthook, 'previous', None) is None:
            sys.excepthook = _excepthook(sys.excepthook)

    def after_run(self, runner) -> None:
        _restore()


def _restore() -> None:
    """Put back the ``sys.excepthook`` this module's hook replaced (nothing when it is not installed)."""
    previous = getattr(sys.excepthook, 'previous', None)
    if previous is not None:
        sys.excepthook = previous

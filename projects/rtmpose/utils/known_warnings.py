"""Known-harmless warnings and log notes of the OpenMMLab stack, kept out of what a command prints, each matched
narrowly (category, message and the module that emits it), so that what remains is ours or worth reading.

Not here: ``pkg_resources is deprecated as an API`` (a ``UserWarning`` of setuptools 80.9, printed by mim and
mmengine before any code of this package runs) is fixed by the setuptools pin, not filtered.
"""
import logging
import warnings

#: ``(category, message regex, emitting module regex)`` of third-party warnings about the third party's own code
KNOWN_WARNINGS = (
    # mmdet's ChannelAttention (CSPNeXt's channel attention) turns autocast off with torch's older spelling: same
    # behaviour, printed on every first forward pass
    (FutureWarning, r'`torch\.cuda\.amp\.autocast\(args\.\.\.\)` is deprecated', r'mmdet\.models\.layers\.se_layer'),
)
#: the start of log notes about the third party's own code: mmengine's CheckpointHook builds a FileClient that it
#: does not use (kept for backward compatibility), which logs two deprecation notes on every training run; MMDeploy
#: looks its own registries up while the default scope is the model's (found in its own, after the note) and calls
#: its own deprecated get_onnx_config
KNOWN_LOG_NOTES = (
    '"FileClient" will be deprecated in future', '"HardDiskBackend" is the alias of "LocalBackend"',
    'Failed to search registry with scope "rtmpose" in the "Codebases" registry tree',
    'Failed to search registry with scope "mmpose" in the "Codebases" registry tree',
    'Failed to search registry with scope "mmpose" in the "mmpose_tasks" registry tree',
    'DeprecationWarning: get_onnx_config will be deprecated in the future',
)


def ignore_known_warnings() -> None:
    """Ignore the :data:`KNOWN_WARNINGS` in this process (idempotent; every other warning shows as before)."""
    for category, message, module in KNOWN_WARNINGS:
        warnings.filterwarnings('ignore', message=message, category=category, module=module)


class KnownNotesFilter(logging.Filter):
    """A logging filter that drops the :data:`KNOWN_LOG_NOTES`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(KNOWN_LOG_NOTES)

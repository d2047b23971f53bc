"""Hooks of this scope: atomic checkpoints, checks before a run, error reports, curves."""
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .channels_last_hook import ChannelsLastHook
from .checkpoint_check_hook import CheckpointCheckHook
from .codec_check_hook import CodecCheckHook, CodecOverrideError
from .epoch_seed_hook import EpochSeedHook
from .error_report_hook import ErrorReportHook
from .finite_check_hook import DivergedError, FiniteCheckHook
from .keypoint_count_hook import KeypointCountHook
from .known_warnings_hook import KnownWarningsHook
from .training_curve_hook import TrainingCurveHook
from .trusted_checkpoint_hook import TrustedCheckpointHook
from .work_dir_lock_hook import WorkDirInUseError, WorkDirLockHook

__all__ = [
    'AtomicCheckpointHook', 'ChannelsLastHook', 'CheckpointCheckHook', 'CodecCheckHook', 'CodecOverrideError',
    'DivergedError', 'EpochSeedHook', 'ErrorReportHook', 'FiniteCheckHook', 'KeypointCountHook', 'KnownWarningsHook',
    'TrainingCurveHook', 'TrustedCheckpointHook', 'WorkDirInUseError', 'WorkDirLockHook'
]

"""Backend hooks."""
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .channels_last_hook import ChannelsLastHook
from .checkpoint_check_hook import CheckpointCheckHook
from .epoch_seed_hook import EpochSeedHook
from .error_report_hook import ErrorReportHook
from .finite_check_hook import DivergedError, FiniteCheckHook
from .keypoint_count_hook import KeypointCountHook
from .training_curve_hook import TrainingCurveHook
from .trusted_checkpoint_hook import TrustedCheckpointHook

__all__ = [
    'AtomicCheckpointHook', 'ChannelsLastHook', 'CheckpointCheckHook', 'DivergedError', 'EpochSeedHook',
    'ErrorReportHook', 'FiniteCheckHook', 'KeypointCountHook', 'TrainingCurveHook', 'TrustedCheckpointHook'
]

"""Runtime hooks."""
from .checkpoint_check_hook import CheckpointCheckHook
from .epoch_seed_hook import EpochSeedHook
from .training_curve_hook import TrainingCurveHook
from .trusted_checkpoint_hook import TrustedCheckpointHook

__all__ = ['CheckpointCheckHook', 'EpochSeedHook', 'TrainingCurveHook', 'TrustedCheckpointHook']

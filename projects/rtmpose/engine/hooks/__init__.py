"""Runtime hooks."""
from .checkpoint_check_hook import CheckpointCheckHook
from .training_curve_hook import TrainingCurveHook

__all__ = ['CheckpointCheckHook', 'TrainingCurveHook']

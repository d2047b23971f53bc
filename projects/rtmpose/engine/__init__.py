"""Training/testing runtime: input checks, atomic checkpoint writes, hooks and optimizer wrappers."""
from .atomic_backend import AtomicLocalBackend
from .hooks import CheckpointCheckHook, EpochSeedHook, TrainingCurveHook
from .optim_wrappers import BF16OptimWrapper
from .preflight import MissingInputError, check_annotation_file, check_checkpoint, check_dataset_files

__all__ = [
    'AtomicLocalBackend', 'BF16OptimWrapper', 'CheckpointCheckHook', 'EpochSeedHook', 'MissingInputError',
    'TrainingCurveHook', 'check_annotation_file', 'check_checkpoint', 'check_dataset_files'
]

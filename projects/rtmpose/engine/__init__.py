"""Training/testing runtime: input checks, atomic checkpoint writes and hooks."""
from .atomic_backend import AtomicLocalBackend
from .hooks import CheckpointCheckHook, EpochSeedHook, TrainingCurveHook
from .preflight import MissingInputError, check_annotation_file, check_checkpoint, check_dataset_files

__all__ = [
    'AtomicLocalBackend', 'CheckpointCheckHook', 'EpochSeedHook', 'MissingInputError', 'TrainingCurveHook',
    'check_annotation_file', 'check_checkpoint', 'check_dataset_files'
]

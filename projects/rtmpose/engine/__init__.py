"""Training/testing runtime: trusted checkpoint loading, atomic checkpoint writes, hooks and optimizer wrappers.

Importing it registers the ``'atomic_local'`` file backend with mmengine; the ``rtmpose`` registries import this
package the first time a runner looks up a hook or optimizer wrapper in the ``rtmpose`` scope.
"""
from .atomic_backend import AtomicLocalBackend
from .checkpoint_loading import trusted_checkpoints
from .hooks import CheckpointCheckHook, EpochSeedHook, TrainingCurveHook, TrustedCheckpointHook
from .optim_wrappers import BF16OptimWrapper

__all__ = [
    'AtomicLocalBackend', 'BF16OptimWrapper', 'CheckpointCheckHook', 'EpochSeedHook', 'TrainingCurveHook',
    'TrustedCheckpointHook', 'trusted_checkpoints'
]

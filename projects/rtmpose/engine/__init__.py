"""Training/testing runtime: trusted checkpoint loading, atomic checkpoint writes, hooks and optimizer wrappers.

Importing it registers the ``'atomic_local'`` file backend with mmengine; the ``rtmpose`` registries import this
package the first time a runner looks up a hook or optimizer wrapper in the ``rtmpose`` scope.
"""
from .atomic_backend import AtomicLocalBackend
from .checkpoint_loading import trusted_checkpoints
from .hooks import (
    AtomicCheckpointHook,
    ChannelsLastHook,
    CheckpointCheckHook,
    DivergedError,
    EpochSeedHook,
    ErrorReportHook,
    FiniteCheckHook,
    KeypointCountHook,
    KnownWarningsHook,
    TrainingCurveHook,
    TrustedCheckpointHook,
    WorkDirInUseError,
    WorkDirLockHook,
)
from .model_wrappers import DeviceAwareDDP
from .optim_wrappers import BF16OptimWrapper

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalBackend', 'BF16OptimWrapper', 'ChannelsLastHook', 'CheckpointCheckHook',
    'DeviceAwareDDP', 'DivergedError', 'EpochSeedHook', 'ErrorReportHook', 'FiniteCheckHook', 'KeypointCountHook',
    'KnownWarningsHook', 'TrainingCurveHook', 'TrustedCheckpointHook', 'WorkDirInUseError', 'WorkDirLockHook',
    'trusted_checkpoints'
]

"""Model wrappers for distributed training."""
from .device_aware_ddp import DeviceAwareDDP, revert_sync_bn_on_cpu

__all__ = ['DeviceAwareDDP', 'revert_sync_bn_on_cpu']

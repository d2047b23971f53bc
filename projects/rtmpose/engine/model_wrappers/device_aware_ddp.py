"""mmengine's DistributedDataParallel wrapper, made to run on CPU ranks (gloo) as well as on GPUs (NCCL)."""
import torch
import torch.distributed as torch_dist
from mmengine.logging import print_log
from mmengine.model import MMDistributedDataParallel, revert_sync_batchnorm
from torch import nn

from ...registry import MODEL_WRAPPERS


def revert_sync_bn_on_cpu(module: nn.Module) -> nn.Module:
    """``module`` with its SyncBatchNorm layers turned into BatchNorm when its parameters live on the CPU (torch's
    and mmcv's SyncBatchNorm only run on GPUs); says so once in the log. Parameters and buffers are kept (the same
    tensors), so an optimizer built on them still updates them. On a GPU, ``module`` is returned unchanged."""
    if next(module.parameters()).device.type != 'cpu':
        return module
    synced = sum(type(m).__name__ == 'SyncBatchNorm' for m in module.modules())
    if synced:
        print_log(f'{synced} SyncBatchNorm layers run as BatchNorm on this CPU rank: SyncBatchNorm needs GPUs. Each '
                  "rank normalises with its own batch's statistics in training; validation and testing use rank 0's "
                  'running statistics on every rank', logger='current')
    return revert_sync_batchnorm(module)


@MODEL_WRAPPERS.register_module()
class DeviceAwareDDP(MMDistributedDataParallel):
    """:class:`~mmengine.model.MMDistributedDataParallel` that also runs where the model lives on the CPU.

    On GPUs it is mmengine's wrapper as the runner builds it by default (``broadcast_buffers=False``), SyncBN
    included. On CPU ranks (``torch.distributed`` with the gloo backend) it drops ``device_ids`` (which
    ``DistributedDataParallel`` refuses for a CPU module) and runs SyncBatchNorm as BatchNorm
    (:func:`revert_sync_bn_on_cpu`). Each rank's running statistics then follow its own batches, so before the
    first validation or test step after training every rank takes rank 0's buffers: validation during training
    scores the weights and statistics that rank 0 saves in the checkpoint, as a later ``mim test`` does.

    Args:
        module: The model.
        device_ids: Set by the runner to ``[LOCAL_RANK]``; ignored for a CPU model.
        broadcast_buffers: As :class:`torch.nn.parallel.DistributedDataParallel`; False like mmengine's default.
        **kwargs: As :class:`~mmengine.model.MMDistributedDataParallel`.
    """

    def __init__(self, module: nn.Module, device_ids: list[int] | None = None, broadcast_buffers: bool = False,
                 **kwargs) -> None:
        on_cpu = next(module.parameters()).device.type == 'cpu'
        if on_cpu:
            module, device_ids = revert_sync_bn_on_cpu(module), None
        super().__init__(module=module, device_ids=device_ids, broadcast_buffers=broadcast_buffers, **kwargs)
        self._share_buffers = on_cpu and not broadcast_buffers
        self._buffers_differ = True

    def train_step(self, data: dict | tuple | list, optim_wrapper) -> dict[str, torch.Tensor]:
        self._buffers_differ = True
        return super().train_step(data, optim_wrapper)

    def val_step(self, data: dict | tuple | list) -> list:
        self._take_rank0_buffers()
        return super().val_step(data)

    def test_step(self, data: dict | tuple | list) -> list:
        self._take_rank0_buffers()
        return super().test_step(data)

    def _take_rank0_buffers(self) -> None:
        if self._share_buffers and self._buffers_differ:
            with torch.no_grad():
                for buffer in self.module.buffers():
                    torch_dist.broadcast(buffer, src=0)
            self._buffers_differ = False

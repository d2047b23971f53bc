"""Proof 1: one DeviceAwareDDP step of 2 gloo ranks x B/2 images equals one step of 1 process on B images.

The identity holds exactly when the forward pass of an image does not depend on the other images of its batch:
here the BatchNorm layers run in eval mode (running statistics). In training mode BatchNorm normalises with the
statistics of the batch it sees; on CPU ranks (SyncBatchNorm needs GPUs, so ``DeviceAwareDDP`` runs it as BatchNorm)
each rank sees B/2 images, not B, so its activations and gradients differ (the second test shows by how much). On
GPUs SyncBatchNorm all-reduces the statistics over the ranks, which restores the identity up to rounding.

The KL loss sums over the images of a batch (as MMPose's ``KLDiscretLoss`` does) and DDP averages the ranks'
gradients, so a DDP step is the 1-process step of the B images' loss divided by the world size (the recipe's AdamW is
invariant to that scale: training is not affected, but logged losses are per rank). The step compared
is SGD: AdamW's first step moves each weight by about ``lr * sign(gradient)``, which would turn float32 rounding of
the near-zero gradients into differences of ``2 * lr`` whatever the number of processes.
"""
import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from mmpose.structures import PoseDataSample

from tests.engine.conftest import DEMO_CONFIG, free_port

WORLD = 2
BATCH = 4  # B: 2 images per rank


def build_model() -> torch.nn.Module:
    """The demo config's RTMPose-t (SyncBN as configured), weights drawn from seed 0."""
    import rtmpose.engine  # noqa: F401  (registers DeviceAwareDDP)
    from rtmpose.registry import MODELS
    init_default_scope('rtmpose')
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(DEMO_CONFIG).model)


def batch(input_size=(96, 128)) -> tuple[torch.Tensor, list[PoseDataSample]]:
    """B images ``(B, 3, 128, 96)`` and their SimCC targets from random keypoints, the same in every process."""
    from rtmpose.codecs.simcc_label import SimCCLabel
    codec = SimCCLabel(input_size=input_size, sigma=(2.45, 2.83), simcc_split_ratio=2.0)
    rng = np.random.default_rng(0)
    images = torch.from_numpy(rng.normal(size=(BATCH, 3, input_size[1], input_size[0])).astype(np.float32))
    samples = []
    for _ in range(BATCH):
        keypoints = rng.uniform((0, 0), input_size, size=(1, 17, 2))
        labels = codec.encode(keypoints, rng.integers(0, 2, size=(1, 17)).astype(np.float32))
        sample = PoseDataSample()
        sample.gt_instance_labels = InstanceData(**{k: torch.from_numpy(np.asarray(v, np.float32))
                                                    for k, v in labels.items()})
        samples.append(sample)
    return images, samples


def one_step(model: torch.nn.Module, images, samples, loss_scale: float = 1.0) -> tuple[dict, dict]:
    """One SGD step on ``loss_scale`` x the KL loss: (gradients, updated weights) by parameter name."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    # through DDP's forward when the model is wrapped: that hooks the gradient all-reduce
    (model(images, samples, mode='loss')['loss_kpt'] * loss_scale).backward()
    params = dict(getattr(model, 'module', model).named_parameters())  # names without DDP's 'module.'
    grads = {n: p.grad.detach().clone() for n, p in params.items()}
    optimizer.step()
    return grads, {n: p.detach().clone() for n, p in params.items()}


def set_norm_mode(model: torch.nn.Module, norm_train: bool) -> torch.nn.Module:
    model.train()
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.train(norm_train)
    return model


def rank_main(rank: int, port: int, out: str) -> None:
    """Rank ``rank`` of 2: its half of the batch through DeviceAwareDDP, once per norm mode; results to ``out``."""
    from rtmpose.engine import DeviceAwareDDP
    torch.set_num_threads(1)
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=WORLD)
    images, samples = batch()
    half = slice(rank * BATCH // WORLD, (rank + 1) * BATCH // WORLD)
    results = {}
    for norm_train in (False, True):
        ddp = DeviceAwareDDP(set_norm_mode(build_model(), norm_train), device_ids=[rank])
        results[norm_train] = one_step(ddp, images[half], samples[half])
    # the BatchNorm statistics of the last (training-mode) step are this rank's; validation starts from rank 0's
    results['stats_trained'] = {n: b.clone() for n, b in ddp.module.named_buffers()}
    ddp.module.val_step = lambda data: []  # the wrapper's part of a validation step only
    ddp.val_step({})
    results['stats_validated'] = dict(ddp.module.named_buffers())
    torch.save(results, f'{out}/rank{rank}.pt')
    dist.destroy_process_group()


@pytest.fixture(scope='module')
def two_rank_steps(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp('ddp_step')
    mp.start_processes(rank_main, args=(free_port(), str(out)), nprocs=WORLD, start_method='spawn')
    return [torch.load(out / f'rank{r}.pt') for r in range(WORLD)]


def single_process_step(norm_train: bool) -> tuple[dict, dict]:
    images, samples = batch()
    model = set_norm_mode(build_model(), norm_train)
    # the plain model keeps SyncBatchNorm, which in eval mode or outside a process group is BatchNorm
    return one_step(model, images, samples, loss_scale=1 / WORLD)


def max_diff(a: dict, b: dict) -> float:
    """The largest difference of two tensors of the same name, relative to the largest magnitude in ``b``'s."""
    return max(float((a[k].double() - b[k]).abs().max() / b[k].double().abs().max().clamp(min=1e-12)) for k in a)


@pytest.mark.slow
def test_two_ranks_equal_one_process_with_batch_independent_norm(two_rank_steps):
    grads, weights = single_process_step(norm_train=False)
    for rank_grads, rank_weights in (r[False] for r in two_rank_steps):
        assert rank_grads.keys() == grads.keys()
        assert max_diff(rank_grads, grads) < 1e-5
        assert max(float((rank_weights[k] - weights[k]).abs().max()) for k in weights) < 1e-5
    assert max_diff(two_rank_steps[0][False][1], two_rank_steps[1][False][1]) == 0  # ranks stay identical


@pytest.mark.slow
def test_batchnorm_in_training_mode_differs_per_rank(two_rank_steps):
    grads, _ = single_process_step(norm_train=True)
    assert max_diff(two_rank_steps[0][True][0], grads) > 0.1
    assert max_diff(two_rank_steps[0][True][1], two_rank_steps[1][True][1]) == 0  # all-reduced: still identical


@pytest.mark.slow
def test_validation_takes_rank0_batchnorm_statistics(two_rank_steps):
    rank0, rank1 = two_rank_steps
    assert max_diff(rank1['stats_trained'], rank0['stats_trained']) > 0.01
    assert max_diff(rank1['stats_validated'], rank0['stats_trained']) == 0
    assert max_diff(rank0['stats_validated'], rank0['stats_trained']) == 0

"""ChannelsLastHook: the same loss, gradients and AdamW update as the default layout, in float32 and bfloat16."""
import copy
from types import SimpleNamespace

import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.model import MMDistributedDataParallel
from torch import nn

from rtmpose.engine.hooks.channels_last_hook import ChannelsLastHook
from rtmpose.engine.optim_wrappers import BF16OptimWrapper
from rtmpose.engine.optim_wrappers.bf16_optim_wrapper import bf16_supported
from rtmpose.registry import HOOKS
from rtmpose.testing.equivalence_inputs import training_batch
from rtmpose.testing.reference import model_pair
from tests.paths import CONFIGS


@pytest.fixture(scope='module')
def models():
    """(default layout, channels-last) copies of RTMPose-t in training mode, the second converted by the hook."""
    ours, _ = model_pair(CONFIGS / 'rtmpose-t_coco.py')
    ours.train()
    converted = copy.deepcopy(ours)
    ChannelsLastHook().before_run(SimpleNamespace(model=converted))
    return ours, converted


def step(model, inputs, samples, enabled=True):
    """One train step (loss, backward, fused AdamW); returns the loss, the gradients and the updated weights."""
    model = copy.deepcopy(model)
    wrapper = BF16OptimWrapper(optimizer=torch.optim.AdamW(model.parameters(), lr=1e-3, fused=True))
    with wrapper.optim_context(model), torch.autocast('cpu', torch.bfloat16, enabled=enabled):
        loss = sum(model.loss(inputs, samples).values())
    wrapper.backward(loss)
    grads = [p.grad.clone() for p in model.parameters()]
    wrapper.step()
    return loss.detach(), grads, [p.detach().clone() for p in model.parameters()]


def test_converts_every_convolution_weight(models):
    _, converted = models
    weights = [p for p in converted.parameters() if p.dim() == 4]
    assert weights and all(p.is_contiguous(memory_format=torch.channels_last) for p in weights)
    # (a weight with one input channel or a 1x1 kernel is laid out the same either way)
    assert all(not p.is_contiguous() for p in weights if p.shape[1] > 1 and p.shape[2:] != (1, 1))


def test_float32_step_matches_default_layout(models):
    inputs, samples = training_batch(2)
    (loss_a, grads_a, new_a), (loss_b, grads_b, new_b) = (step(m, inputs, samples, enabled=False) for m in models)
    assert loss_b.item() == pytest.approx(loss_a.item(), rel=1e-5)
    for a, b in zip(grads_a, grads_b):
        torch.testing.assert_close(b, a, rtol=1e-3, atol=1e-5)
    # AdamW's first step moves a weight by about lr * sign(gradient): where a gradient is near its eps (1e-8), the
    # rounding differences above can move a few single weights differently; the update as a whole is the same
    before = [p.detach() for p in models[0].parameters()]
    moves_a, moves_b = (torch.cat([(n - p).flatten() for p, n in zip(before, new)]) for new in (new_a, new_b))
    assert ((moves_b - moves_a).norm() / moves_a.norm()).item() < 1e-3


@pytest.mark.skipif(not bf16_supported('cpu'), reason='this CPU has no native bfloat16: the demo trains in float32')
def test_bfloat16_step_matches_default_layout(models):
    inputs, samples = training_batch(2)
    (loss_a, grads_a, _), (loss_b, grads_b, _) = (step(m, inputs, samples) for m in models)
    assert loss_b.item() == pytest.approx(loss_a.item(), rel=1e-3)
    # bfloat16 keeps 8 bits of mantissa, so its gradients are some way from float32's; the two layouts sum products
    # in different orders: they must differ from each other less than bfloat16 differs from float32, and
    # channels-last must be about as close to float32 as the default layout is
    exact = flat(step(models[0], inputs, samples, enabled=False)[1])
    flat_a, flat_b = flat(grads_a), flat(grads_b)
    bf16_error = distance(flat_a, exact)
    assert distance(flat_b, flat_a) < bf16_error
    assert distance(flat_b, exact) < 1.25 * bf16_error


def flat(tensors: list[torch.Tensor]) -> torch.Tensor:
    return torch.cat([t.flatten() for t in tensors])


def distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Relative distance of ``a`` from the reference ``b``."""
    return ((a - b).norm() / b.norm()).item()


def test_demo_config_builds_the_hook():
    cfg = Config.fromfile(str(CONFIGS / 'rtmpose-t_demo.py'))
    hooks = [HOOKS.build(h) for h in cfg.custom_hooks if 'ChannelsLast' in h['type']]
    assert len(hooks) == 1 and isinstance(hooks[0], ChannelsLastHook)


def test_leaves_a_distributed_model_in_the_default_layout(tmp_path):
    """DDP's first gradients after the hook would follow its buckets' (default) layout, which fused AdamW misapplies
    to channels-last weights: a wrapped model is left as it is."""
    grads_layout = torch.randn(8, 4, 3, 3)
    param = torch.randn(8, 4, 3, 3).to(memory_format=torch.channels_last).requires_grad_()
    param.grad = grads_layout.clone()  # default layout, as DDP's first iteration hands it back
    expected = param.detach().contiguous().requires_grad_()  # both in the default layout: applied right
    expected.grad = grads_layout.clone()
    for p in (param, expected):
        torch.optim.AdamW([p], lr=0.1, fused=True).step()
    assert not torch.allclose(param, expected)  # the torch behaviour the hook avoids; if this fails, torch fixed it

    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store', rank=0, world_size=1)
    try:
        wrapped = MMDistributedDataParallel(nn.Conv2d(3, 8, 3))
        ChannelsLastHook().before_run(SimpleNamespace(model=wrapped))
        assert wrapped.module.weight.is_contiguous()
    finally:
        dist.destroy_process_group()

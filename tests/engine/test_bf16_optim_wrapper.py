"""BF16OptimWrapper: bfloat16 forward on the CPU, float32 weights/gradients/loss, float32 fallback, registry."""
import logging

import pytest
import torch
from torch import nn

from rtmpose.engine import BF16OptimWrapper
from rtmpose.engine.optim_wrappers import bf16_optim_wrapper
from rtmpose.registry import OPTIM_WRAPPERS
from rtmpose.testing.reference import build

needs_bf16 = pytest.mark.skipif(not bf16_optim_wrapper.bf16_supported('cpu'),
                                reason='this CPU has no native bfloat16 (AVX512-BF16/AMX); the wrapper trains in '
                                'float32 there, covered by test_falls_back_to_float32')


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8, 4)
        self.seen: list[torch.dtype] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        self.seen.append(y.dtype)
        return self.fc(y.mean((2, 3)))


def step(wrapper: BF16OptimWrapper, net: Net, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """One training step as mmengine's ``train_step`` runs it; returns the loss and the gradients it applied."""
    with wrapper.optim_context(net):
        out = net(x)
        loss = torch.log_softmax(out.float(), 1).neg().mean()
    wrapper.backward(loss)
    grads = [p.grad.clone() for p in net.parameters()]
    wrapper.step()
    wrapper.zero_grad()
    return loss, grads


def make(net: Net) -> BF16OptimWrapper:
    return BF16OptimWrapper(optimizer=torch.optim.AdamW(net.parameters(), lr=1e-3))


@needs_bf16
def test_forward_runs_in_bfloat16_and_weights_stay_float32():
    torch.manual_seed(0)
    net = Net()
    x = torch.randn(2, 3, 16, 16)
    before = net.conv.weight.detach().clone()
    loss, grads = step(make(net), net, x)
    assert net.seen == [torch.bfloat16]
    assert loss.dtype == torch.float32
    assert all(p.dtype == torch.float32 for p in net.parameters())
    assert all(g.dtype == torch.float32 for g in grads)
    assert not torch.equal(net.conv.weight, before)  # the step updated the weights
    with torch.no_grad():  # outside optim_context (validation) the model runs in float32
        net(x)
    assert net.seen[-1] == torch.float32


@needs_bf16
def test_loss_and_gradients_close_to_float32():
    torch.manual_seed(0)
    net, ref = Net(), Net()
    ref.load_state_dict(net.state_dict())
    x = torch.randn(4, 3, 16, 16)
    loss, grads = step(make(net), net, x)
    ref_loss = torch.log_softmax(ref(x), 1).neg().mean()
    ref_loss.backward()
    torch.testing.assert_close(loss, ref_loss.detach(), atol=2e-2, rtol=2e-2)
    for grad, ref_param in zip(grads, ref.parameters()):
        torch.testing.assert_close(grad, ref_param.grad, atol=1e-2, rtol=5e-2)


def test_falls_back_to_float32_without_native_bfloat16(monkeypatch):
    monkeypatch.setattr(bf16_optim_wrapper, 'bf16_supported', lambda device_type: False)
    logged = []
    monkeypatch.setattr(bf16_optim_wrapper, 'print_log', lambda msg, **kwargs: logged.append((msg, kwargs['level'])))
    net = Net()
    wrapper = make(net)
    step(wrapper, net, torch.randn(2, 3, 16, 16))
    step(wrapper, net, torch.randn(2, 3, 16, 16))
    assert net.seen == [torch.float32, torch.float32]
    assert len(logged) == 1 and 'no native bfloat16' in logged[0][0] and logged[0][1] == logging.WARNING  # once


def test_builds_from_a_config_in_the_rtmpose_scope():
    net = Net()
    wrapper = build(OPTIM_WRAPPERS, dict(type='BF16OptimWrapper', optimizer=torch.optim.SGD(net.parameters(), lr=0.1),
                                         clip_grad=dict(max_norm=35, norm_type=2)), 'rtmpose')
    assert type(wrapper) is BF16OptimWrapper

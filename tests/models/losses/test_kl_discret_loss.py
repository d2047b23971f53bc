"""KLDiscretLoss: values and gradients equal MMPose's for every option combination."""
import itertools

import pytest
import torch

from rtmpose.testing.equivalence_inputs import simcc_loss_inputs
from rtmpose.testing.reference import loss_pair

COMBOS = list(itertools.product([True, False], [1.0, 10.0], [True, False]))


@pytest.mark.parametrize('use_target_weight, beta, label_softmax', COMBOS)
@pytest.mark.parametrize('mask', [None, [0, 5, 16]])
def test_values_and_gradients_match_mmpose(use_target_weight, beta, label_softmax, mask):
    kwargs = dict(use_target_weight=use_target_weight, beta=beta, label_softmax=label_softmax)
    if mask is not None:
        kwargs.update(mask=mask, mask_weight=2.5)
    ours, ref = loss_pair(**kwargs)
    pred, gt, weight = simcc_loss_inputs()
    results = []
    for module in (ours, ref):
        p = tuple(t.clone().requires_grad_() for t in pred)
        loss = module(p, gt, weight)
        loss.backward()
        results.append((loss.detach(), p[0].grad, p[1].grad))
    (l_o, gx_o, gy_o), (l_r, gx_r, gy_r) = results
    assert torch.isfinite(l_o) and l_o > 0
    torch.testing.assert_close(l_o, l_r, atol=1e-6, rtol=0)
    torch.testing.assert_close(gx_o, gx_r, atol=1e-6, rtol=0)
    torch.testing.assert_close(gy_o, gy_r, atol=1e-6, rtol=0)


def test_loss_is_zero_for_a_perfect_prediction_and_grows_with_error():
    loss, _ = loss_pair(use_target_weight=True, beta=1.0, label_softmax=False)
    _, gt, weight = simcc_loss_inputs()
    log_gt = tuple(torch.log(t.clamp_min(1e-30)) for t in gt)
    assert loss(log_gt, gt, weight).abs() < 1e-6
    assert loss(tuple(t + torch.randn_like(t) for t in log_gt), gt, weight) > 1e-3


@pytest.mark.parametrize('pred, gt, weight, message', [
    ((torch.zeros(2, 17, 384), ), (torch.zeros(2, 17, 384), ), torch.ones(2, 17), 'pair'),
    ((torch.zeros(2, 17, 384), torch.zeros(2, 17, 512)), (torch.zeros(2, 17, 384), torch.zeros(2, 17, 500)),
     torch.ones(2, 17), 'shapes differ'),
    ((torch.zeros(2, 17, 384), torch.zeros(2, 16, 512)), (torch.zeros(2, 17, 384), torch.zeros(2, 16, 512)),
     torch.ones(2, 17), 'leading'),
    ((torch.zeros(2, 17, 384, dtype=torch.long), torch.zeros(2, 17, 512)),
     (torch.zeros(2, 17, 384), torch.zeros(2, 17, 512)), torch.ones(2, 17), 'float tensor'),
    ((torch.zeros(2, 17, 384), torch.zeros(2, 17, 512)), (torch.zeros(2, 17, 384), torch.zeros(2, 17, 512)),
     torch.ones(3, 17), 'target_weight'),
])
def test_bad_input_raises_value_error(pred, gt, weight, message):
    loss, _ = loss_pair()
    with pytest.raises(ValueError, match=message):
        loss(pred, gt, weight)


def test_bfloat16_predictions_give_the_float32_loss_of_their_values():
    """Under bfloat16 autocast the head's logits are bfloat16; the loss is computed from them in float32."""
    loss, _ = loss_pair(use_target_weight=True, beta=10.0, label_softmax=True)
    pred, gt, weight = simcc_loss_inputs()
    low = tuple(t.bfloat16() for t in pred)
    value = loss(low, gt, weight)
    assert value.dtype == torch.float32
    torch.testing.assert_close(value, loss(tuple(t.float() for t in low), gt, weight), atol=0, rtol=0)

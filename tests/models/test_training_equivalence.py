"""Five AdamW steps of our RTMPose and of MMPose's reference from the same weights and batch give the same losses."""
import numpy as np
import pytest
import torch

from rtmpose.testing.equivalence_inputs import training_batch
from rtmpose.testing.reference import model_pair
from tests.paths import CONFIGS


@pytest.mark.parametrize('arch', ['t', 'm'])
def test_five_adamw_steps_give_the_same_losses(arch):
    ours, ref = model_pair(CONFIGS / f'rtmpose-{arch}_coco.py', seed=1)
    inputs, samples = training_batch(4)
    losses = {}
    for name, model in (('ours', ours), ('ref', ref)):
        model.train()
        torch.manual_seed(0)
        optim = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.05)
        history = []
        for _ in range(5):
            loss = model.loss(inputs, samples)
            optim.zero_grad()
            loss['loss_kpt'].backward()
            optim.step()
            history.append(loss['loss_kpt'].item())
        losses[name] = history
    np.testing.assert_allclose(losses['ours'], losses['ref'], atol=1e-4, rtol=0)
    assert len(set(losses['ours'])) == 5, losses['ours']  # every step changed the model
    ref_state = ref.state_dict()
    for key, value in ours.state_dict().items():
        torch.testing.assert_close(value, ref_state[key], atol=1e-4, rtol=0, msg=key)

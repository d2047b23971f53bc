"""Five AdamW steps of our RTMPose and of MMPose's reference from the same weights and batch give the same losses."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmpose.structures import PoseDataSample

from tests.models.test_rtmpose_equivalence import FLIP_INDICES, images
from tests.reference import codec_pair, model_pair


def training_batch(n: int, seed: int = 0) -> tuple[torch.Tensor, list[PoseDataSample]]:
    codec, _ = codec_pair(input_size=(192, 256), sigma=(4.9, 5.66), simcc_split_ratio=2.0, normalize=False)
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(n):
        kpts = rng.uniform([10, 10], [182, 246], size=(1, 17, 2))
        vis = (rng.uniform(size=(1, 17)) > 0.2).astype(np.float32)
        enc = codec.encode(kpts, vis)
        sample = PoseDataSample(metainfo=dict(flip_indices=FLIP_INDICES, input_size=(192, 256)))
        sample.gt_instance_labels = InstanceData(**{k: torch.from_numpy(v) for k, v in enc.items()})
        samples.append(sample)
    return images(n, seed), samples


@pytest.mark.parametrize('arch', ['t', 'm'])
def test_five_adamw_steps_give_the_same_losses(arch):
    ours, ref = model_pair(arch, seed=1)
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

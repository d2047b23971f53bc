"""TorchBackend runs its module in channels-last memory format with the outputs of the default layout."""
import copy

import numpy as np
import torch

from rtmpose.backends.torch_backend import TorchBackend
from rtmpose.hub.openmmlab import SimCCNet
from rtmpose.testing.reference import model_pair
from tests.paths import CONFIGS


def test_channels_last_outputs_equal_the_default_layout():
    model, _ = model_pair(CONFIGS / 'rtmpose-t_coco.py')
    net = SimCCNet(model).eval()
    reference = copy.deepcopy(net)
    runtime = TorchBackend(net, ('batch', 3, 256, 192), ('simcc_x', 'simcc_y'), 'rtmpose-t')
    convs = [p for p in runtime.module.parameters() if p.dim() == 4 and p.shape[1] > 1 and p.shape[2:] != (1, 1)]
    assert convs and all(p.is_contiguous(memory_format=torch.channels_last) and not p.is_contiguous() for p in convs)
    x = np.random.default_rng(0).standard_normal((2, 3, 256, 192)).astype(np.float32)
    with torch.no_grad():
        expected = [t.numpy() for t in reference(torch.from_numpy(x))]
    for got, want in zip(runtime(x), expected):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-4)
        assert np.abs(want).max() > 1e-2  # the comparison is not between near-zero outputs

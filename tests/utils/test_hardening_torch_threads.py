"""Issue 16 item 11: the torch runtime does not spread one crop over busy-waiting OpenMP threads by default."""
import numpy as np
import torch
from torch import nn

from rtmpose.backends.torch_backend import TorchBackend


class Twice(nn.Module):
    def forward(self, x):
        return x * 2, x + 1


def test_one_thread_unless_asked():
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        runtime = TorchBackend(Twice(), ('batch', 3), ('a', 'b'), 'twice')
        assert torch.get_num_threads() == 1
        a, b = runtime(np.ones((2, 3), np.float32))
        assert (a == 2).all() and (b == 2).all()
        TorchBackend(Twice(), ('batch', 3), ('a', 'b'), 'twice', threads=2)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)

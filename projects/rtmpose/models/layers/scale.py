"""Learnable per-channel scale."""
import torch
from torch import nn


class Scale(nn.Module):
    """``y = x * scale`` with a learnable ``scale`` of shape (dim,), broadcast over ``(..., dim)``.

    Args:
        dim: Number of channels (last dimension of the input).
        init_value: Initial value of every entry of ``scale``.
        trainable: Whether ``scale`` receives gradients.
    """

    def __init__(self, dim: int, init_value: float = 1.0, trainable: bool = True) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.full((dim, ), float(init_value)), requires_grad=trainable)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale

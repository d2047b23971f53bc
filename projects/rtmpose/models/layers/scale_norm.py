"""ScaleNorm (Nguyen & Salazar, 2019): one learned gain on the L2-normalised vector."""
import torch
from torch import nn


class ScaleNorm(nn.Module):
    """``y = g * x / max(||x||_2 / sqrt(dim), eps)`` over the last dimension.

    Args:
        dim: Size of the last dimension of the input.
        eps: Lower bound of the scaled norm.

    Shape: ``(..., dim) -> (..., dim)``. Parameter ``g`` has shape (1,).
    """

    def __init__(self, dim: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.scale = dim**-0.5
        self.eps = eps
        self.g = nn.Parameter(torch.ones(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norm = torch.linalg.vector_norm(x, dim=-1, keepdim=True) * self.scale
        return x / norm.clamp(min=self.eps) * self.g

"""Rotary position embedding (RoFormer, arXiv 2104.09864) in the form RTMPose's GAU uses."""
from collections.abc import Sequence

import torch


def rope(x: torch.Tensor, dim: int | Sequence[int]) -> torch.Tensor:
    """Rotate the two halves of the last dimension of ``x`` by position-dependent angles.

    Positions are the row-major linear index over the dimensions ``dim`` (broadcast over all others). For the
    frequency of channel pair ``i`` of ``half = C // 2`` pairs, RTMPose uses ``10000 ** (i / half)``; keeping the same
    frequencies keeps official checkpoints interchangeable.

    Args:
        x: Tensor of shape ``(..., C)`` with even ``C``.
        dim: The position dimension(s), all before the last one.

    Returns:
        Tensor of the shape of ``x`` broadcast with the position grid (``(..., C)``).
    """
    dims = [dim] if isinstance(dim, int) else list(dim)
    lead = x.shape[:-1]
    grid = [lead[d] if d in dims else 1 for d in range(len(lead))]
    position = torch.arange(int(torch.tensor(grid).prod()), device=x.device).reshape(grid)
    half = x.shape[-1] // 2
    inv_freq = 10000.0**(torch.arange(half, device=x.device) / float(half))
    angle = position[..., None] * inv_freq
    sin, cos = angle.sin(), angle.cos()
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)

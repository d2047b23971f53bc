"""Gated Attention Unit (GAU, Hua et al. 2022, arXiv 2202.10447) as used by RTMPose's head."""
import math

import torch
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from torch import nn

from ...registry import MODELS
from .rope import rope
from .scale import Scale
from .scale_norm import ScaleNorm

_ACTIVATIONS = {'SiLU': nn.SiLU, 'ReLU': nn.ReLU}


class UnsupportedActivationError(ValueError, NotImplementedError):
    """An ``act_fn`` other than SiLU or ReLU: a ``ValueError`` (a bad argument) that is also the
    ``NotImplementedError`` MMPose's ``RTMCCBlock`` raises, so code written against MMPose catches it."""


@MODELS.register_module()
class RTMCCBlock(nn.Module):
    """One GAU: ``ScaleNorm -> Linear -> act -> (u, v, base) -> relu(q k^T / sqrt(s))^2 -> u * (A v) -> Linear``.

    In self-attention, ``q`` and ``k`` are two per-channel affine maps (``gamma``, ``beta``) of one shared
    ``s``-dim projection. With ``in_token_dims == out_token_dims`` the output is ``res_scale(x) + drop_path(GAU(x))``.

    Args:
        num_token: Number of tokens (keypoints) N; sizes the self-attention relative position bias ``w``
            (``2 * N - 1`` entries).
        in_token_dims: Input token dimension C.
        out_token_dims: Output token dimension C_out.
        expansion_factor: ``e = int(C * expansion_factor)`` is the width of ``u`` and ``v``.
        s: Width of the shared query/key projection.
        eps: ScaleNorm epsilon.
        dropout_rate: Dropout on the attention kernel (``self.dropout``, an identity when 0).
        drop_path: Stochastic depth rate on the residual branch.
        attn_type: ``'self-attn'`` or ``'cross-attn'`` (inputs ``(x, k, v)``).
        act_fn: ``'SiLU'`` or ``'ReLU'`` (or the classes).
        bias: Bias in the linear layers.
        use_rel_bias: Add a learned relative position bias to ``q k^T``.
        pos_enc: Apply rotary position embedding to ``q`` and ``k``.

    Shapes: ``(B, N, C) -> (B, N, C_out)``; cross-attention takes ``x (B, N, C)``, ``k (B, M, C)``, ``v (B, M, C)``.
    """

    def __init__(self,
                 num_token: int,
                 in_token_dims: int,
                 out_token_dims: int,
                 expansion_factor: float = 2,
                 s: int = 128,
                 eps: float = 1e-5,
                 dropout_rate: float = 0.,
                 drop_path: float = 0.,
                 attn_type: str = 'self-attn',
                 act_fn: str | type = 'SiLU',
                 bias: bool = False,
                 use_rel_bias: bool = True,
                 pos_enc: bool = False) -> None:
        super().__init__()
        if attn_type not in ('self-attn', 'cross-attn'):
            raise ValueError(f"attn_type must be 'self-attn' or 'cross-attn', got {attn_type!r}")
        act_name = act_fn if isinstance(act_fn, str) else getattr(act_fn, '__name__', str(act_fn))
        if act_name not in _ACTIVATIONS:
            raise UnsupportedActivationError(f"act_fn must be 'SiLU' or 'ReLU' (or nn.SiLU / nn.ReLU), got {act_fn!r}")
        self.s = s
        self.e = int(in_token_dims * expansion_factor)
        self.attn_type = attn_type
        self.use_rel_bias = use_rel_bias
        self.pos_enc = pos_enc
        self.sqrt_s = math.sqrt(s)

        # parameters are created in MMPose's order, so the same seed gives the same initial weights and the
        # state_dict lists its keys in the same order
        if use_rel_bias:
            if attn_type == 'self-attn':
                self.w = nn.Parameter(torch.rand(2 * num_token - 1))
            else:
                self.a = nn.Parameter(torch.rand((1, s)))
                self.b = nn.Parameter(torch.rand((1, s)))
        self.o = nn.Linear(self.e, out_token_dims, bias=bias)
        if attn_type == 'self-attn':
            self.uv = nn.Linear(in_token_dims, 2 * self.e + s, bias=bias)
            self.gamma = nn.Parameter(torch.rand((2, s)))
            self.beta = nn.Parameter(torch.rand((2, s)))
        else:
            self.uv = nn.Linear(in_token_dims, self.e + s, bias=bias)
            self.k_fc = nn.Linear(in_token_dims, s, bias=bias)
            self.v_fc = nn.Linear(in_token_dims, self.e, bias=bias)
            nn.init.xavier_uniform_(self.k_fc.weight)
            nn.init.xavier_uniform_(self.v_fc.weight)
        self.ln = ScaleNorm(in_token_dims, eps=eps)
        nn.init.xavier_uniform_(self.uv.weight)
        self.act_fn = _ACTIVATIONS[act_name](inplace=True)
        self.shortcut = in_token_dims == out_token_dims
        if self.shortcut:
            self.res_scale = Scale(in_token_dims)
        self.dropout = nn.Dropout(dropout_rate) if dropout_rate > 0 else nn.Identity()
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def rel_pos_bias(self, q_len: int, k_len: int | None = None) -> torch.Tensor:
        """Relative position bias of shape (1, q_len, k_len).

        Self-attention: ``bias[i, j] = w[j - i + q_len - 1]`` (a Toeplitz matrix). Cross-attention: the product of
        rotary-embedded ``a`` (per query) and ``b`` (per key).
        """
        if self.attn_type == 'self-attn':
            pos = torch.arange(q_len, device=self.w.device)
            return self.w[pos[None, :] - pos[:, None] + q_len - 1][None]
        a = rope(self.a.repeat(q_len, 1), dim=0)
        b = rope(self.b.repeat(k_len, 1), dim=0)
        return (a @ b.T)[None]

    def _forward(self, inputs: torch.Tensor | tuple[torch.Tensor, torch.Tensor, torch.Tensor]) -> torch.Tensor:
        if self.attn_type == 'self-attn':
            x = inputs
        else:
            x, k, v = inputs
        uv = self.act_fn(self.uv(self.ln(x)))
        if self.attn_type == 'self-attn':
            u, v, base = uv.split([self.e, self.e, self.s], dim=-1)
            base = base[:, :, None] * self.gamma + self.beta  # (B, N, 2, s)
            if self.pos_enc:
                base = rope(base, dim=1)
            q, k = base.unbind(dim=2)
        else:
            u, q = uv.split([self.e, self.s], dim=-1)
            k, v = self.k_fc(k), self.v_fc(v)
            if self.pos_enc:
                q, k = rope(q, 1), rope(k, 1)
        qk = q @ k.transpose(1, 2)  # (B, N, M)
        if self.use_rel_bias:
            qk = qk + self.rel_pos_bias(q.size(1), k.size(1))[:, :q.size(1), :k.size(1)]
        kernel = self.dropout(F.relu(qk / self.sqrt_s).square())
        return self.o(u * (kernel @ v))

    def forward(self, x: torch.Tensor | tuple[torch.Tensor, torch.Tensor, torch.Tensor]) -> torch.Tensor:
        out = self.drop_path(self._forward(x))
        if not self.shortcut:
            return out
        residual = x[0] if self.attn_type == 'cross-attn' else x
        return self.res_scale(residual) + out

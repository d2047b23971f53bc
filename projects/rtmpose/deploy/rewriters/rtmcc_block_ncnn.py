"""``RTMCCBlock._forward`` for ncnn: the GAU with rank-3 tensors only."""
import torch
import torch.nn.functional as F
from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor

from ...models.layers import rope


@FUNCTION_REWRITER.register_rewriter('rtmpose.models.layers.rtmcc_block.RTMCCBlock._forward', backend='ncnn')
def rtmcc_block___forward__ncnn(self, inputs: Tensor | tuple[Tensor, Tensor, Tensor]) -> Tensor:
    """The GAU of :class:`rtmpose.models.layers.RTMCCBlock` without rank-4 intermediates.

    The eager version builds ``q`` and ``k`` as one ``(N, K, 2, s)`` tensor and unbinds it; ncnn works on blobs
    of at most 3 dimensions once the batch axis is dropped, so here ``q = base * gamma[0] + beta[0]`` and
    ``k = base * gamma[1] + beta[1]`` are formed separately with ``(1, 1, s)`` operands, the three parts of ``uv``
    are slices, and the products are ``bmm`` of ``(N, K, .)`` tensors. The result is the same function.

    Shapes: self-attention ``(N, K, C) -> (N, K, C_out)``; cross-attention ``(x, k, v)`` with
    ``x (N, K, C)``, ``k (N, M, C)``, ``v (N, M, C)``.
    """
    if self.attn_type == 'self-attn':
        x = inputs
    else:
        x, k, v = inputs
    uv = self.act_fn(self.uv(self.ln(x)))
    if self.attn_type == 'self-attn':
        u = uv[..., :self.e]
        v = uv[..., self.e:2 * self.e]
        base = uv[..., 2 * self.e:]
        q = base * self.gamma[0].view(1, 1, -1) + self.beta[0].view(1, 1, -1)
        k = base * self.gamma[1].view(1, 1, -1) + self.beta[1].view(1, 1, -1)
    else:
        u, q = uv[..., :self.e], uv[..., self.e:]
        k, v = self.k_fc(k), self.v_fc(v)
    if self.pos_enc:
        q, k = rope(q, 1), rope(k, 1)
    qk = torch.bmm(q, k.permute(0, 2, 1))  # (N, K, M)
    if self.use_rel_bias:
        qk = qk + self.rel_pos_bias(q.size(1), k.size(1))[:, :q.size(1), :k.size(1)]
    kernel = self.dropout(torch.square(F.relu(qk / self.sqrt_s)))
    return self.o(u * torch.bmm(kernel, v))

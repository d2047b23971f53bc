"""``ScaleNorm.forward`` for ncnn and TensorRT: an L2 norm that cannot overflow in FP16."""
import torch
from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor


@FUNCTION_REWRITER.register_rewriter('rtmpose.models.layers.scale_norm.ScaleNorm.forward', backend='tensorrt')
@FUNCTION_REWRITER.register_rewriter('rtmpose.models.layers.scale_norm.ScaleNorm.forward', backend='ncnn')
def scale_norm__forward__fp16_safe(self, x: Tensor) -> Tensor:
    """``(N, K, C) -> (N, K, C)``: ``g * x / max(||x||_2 * C^-0.5, eps)`` with the norm taken of ``x / m``.

    When a backend forms the squares and their sum in FP16 (TensorRT warns that FP16 Reduce/Pow inside norms
    overflow; MMDeploy's own ncnn rewrite of ScaleNorm targets the same overflow on phones), the sum exceeds 65504
    once the entries' RMS exceeds ``sqrt(65504 / C)`` (~37 for the head's C = 48), and ``x / inf`` zeroes the whole
    token: a plausible cause of the reported RTMPose collapses under FP16. With ``m = max(max|x|, eps)`` per row,
    ``x / m`` lies in [-1, 1], its squares sum to at most C, and ``||x|| = m * ||x / m||`` holds for any
    ``m > 0``, so ``g * x / max(||x|| * C^-0.5, eps) = g * (x / m) / max(||x / m|| * C^-0.5, eps / m)`` exactly.
    ``torch.norm(p=2)`` exports as one ``ReduceL2`` (one ncnn ``Reduction`` layer). All binary operands have the
    rank of ``x``, as ncnn's ``BinaryOp`` (which drops the batch axis) needs.
    """
    m = x.abs().amax(dim=-1, keepdim=True).clamp(min=self.eps)  # (N, K, 1)
    unit = x / m
    norm = torch.norm(unit, p=2, dim=-1, keepdim=True) * self.scale
    return unit * (self.g.view(1, 1, 1) / torch.maximum(norm, self.eps / m))

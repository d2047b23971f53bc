"""``Scale.forward`` for ncnn: a per-channel scale with an operand of the input's rank."""
from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor


@FUNCTION_REWRITER.register_rewriter('rtmpose.models.layers.scale.Scale.forward', backend='ncnn')
def scale__forward__ncnn(self, x: Tensor) -> Tensor:
    """``(N, K, C) -> (N, K, C)``: ``x * scale`` with ``scale`` reshaped to ``(1, 1, C)``.

    ncnn drops the batch axis, so a 1-D ``(C,)`` operand next to a ``(K, C)`` blob is ambiguous to its
    ``BinaryOp`` (older ncnn versions broadcast a 1-D operand over the outer axis); an operand of the same rank
    as ``x`` is broadcast over ``K`` only.
    """
    return x * self.scale.view(*([1] * (x.dim() - 1)), -1)

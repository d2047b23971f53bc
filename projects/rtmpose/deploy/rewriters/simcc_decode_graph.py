"""The SimCC decode as traceable torch operations, for the decode inside an exported graph."""
import torch
from torch import Tensor


def simcc_decode_graph(simcc_x: Tensor, simcc_y: Tensor, simcc_split_ratio: float) -> tuple[Tensor, Tensor]:
    """Argmax per axis, divided by the split ratio; the score is the smaller of the two axis maxima.

    The graph form of :func:`rtmpose.codecs.simcc_decode.simcc_decode` (the numpy rule the codec and the runtime
    use), written so that ``torch.onnx.export`` traces it into ``ArgMax``/``ReduceMax``/``Min``/``Where`` nodes:
    keypoints whose score is ``<= 0`` are set to ``-1 / simcc_split_ratio`` exactly as the numpy rule does (``-1``
    in bins, then divided).

    Args:
        simcc_x: ``(N, K, Wx)`` x-axis SimCC logits.
        simcc_y: ``(N, K, Wy)`` y-axis SimCC logits.
        simcc_split_ratio: Bins per input pixel.

    Returns:
        ``keypoints (N, K, 2)`` float32 in input pixels and ``scores (N, K)`` in the dtype of the logits.
    """
    max_x, arg_x = simcc_x.max(dim=-1)
    max_y, arg_y = simcc_y.max(dim=-1)
    scores = torch.minimum(max_x, max_y)
    bins = torch.stack((arg_x, arg_y), dim=-1).to(torch.float32)
    bins = torch.where((scores > 0).unsqueeze(-1), bins, torch.full_like(bins, -1.0))
    return bins / simcc_split_ratio, scores

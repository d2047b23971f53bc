"""KL divergence between softened SimCC predictions and labels (RTMPose paper, section 3.2)."""
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import MODELS


@MODELS.register_module()
class KLDiscretLoss(nn.Module):
    """``KL(label || softmax(beta * pred))`` per keypoint and axis, averaged over bins.

    For every keypoint row the loss is ``mean_bins(p * (log p - log_softmax(beta * pred)))`` with
    ``p = softmax(label_beta * label)`` when ``label_softmax`` else ``p = label``. Rows are weighted by the keypoint
    weights (``use_target_weight``) and by ``mask_weight`` for the keypoint indices in ``mask``; the x and y terms
    are summed over the batch and divided by K.

    Args:
        beta: Temperature factor applied to predictions (RTMPose uses 10, i.e. tau = 0.1).
        label_softmax: Soften the labels with a softmax.
        label_beta: Temperature factor of the label softmax.
        use_target_weight: Weight each keypoint by its target weight.
        mask: Keypoint indices whose loss is multiplied by ``mask_weight``.
        mask_weight: Multiplier for the masked keypoints.
    """

    def __init__(self,
                 beta: float = 1.0,
                 label_softmax: bool = False,
                 label_beta: float = 10.0,
                 use_target_weight: bool = True,
                 mask: Sequence[int] | None = None,
                 mask_weight: float = 1.0) -> None:
        super().__init__()
        self.beta = beta
        self.label_softmax = label_softmax
        self.label_beta = label_beta
        self.use_target_weight = use_target_weight
        self.mask = mask
        self.mask_weight = mask_weight

    def criterion(self, dec_outs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Per-row loss: ``(M, bins), (M, bins) -> (M,)``, computed in float32 (also under bfloat16 autocast)."""
        log_pt = F.log_softmax(dec_outs.float() * self.beta, dim=1)
        if self.label_softmax:
            labels = F.softmax(labels * self.label_beta, dim=1)
        return F.kl_div(log_pt, labels, reduction='none').mean(dim=1)

    def forward(self, pred_simcc: Sequence[torch.Tensor], gt_simcc: Sequence[torch.Tensor],
                target_weight: torch.Tensor) -> torch.Tensor:
        """Loss of x/y predictions ``(N, K, Wx), (N, K, Wy)`` against labels of the same shapes.

        Args:
            pred_simcc: Predicted ``(simcc_x, simcc_y)``.
            gt_simcc: Target ``(simcc_x, simcc_y)``.
            target_weight: Keypoint weights ``(N, K)``.

        Returns:
            Scalar loss.
        """
        n, k = _check_pairs(pred_simcc, gt_simcc, target_weight)
        weight = target_weight.reshape(n, k) if self.use_target_weight else pred_simcc[0].new_ones((n, k))
        if self.mask is not None:
            scale = weight.new_ones(k)
            scale[list(self.mask)] = self.mask_weight
            weight = weight * scale
        loss = 0
        for pred, target in zip(pred_simcc, gt_simcc):
            rows = self.criterion(pred.reshape(n * k, -1), target.reshape(n * k, -1))
            loss = loss + (rows * weight.reshape(-1)).sum()
        return loss / k


def _check_pairs(pred_simcc, gt_simcc, target_weight) -> tuple[int, int]:
    """Check ``(N, K, Wx)``/``(N, K, Wy)`` float pairs of equal shapes and ``N * K`` weights; return ``(N, K)``."""
    if len(pred_simcc) != 2 or len(gt_simcc) != 2:
        raise ValueError('pred_simcc and gt_simcc must each be a pair (simcc_x, simcc_y)')
    n, k, _ = pred_simcc[0].shape if getattr(pred_simcc[0], 'ndim', 0) == 3 else (None, None, None)
    for name, pair in (('pred_simcc', pred_simcc), ('gt_simcc', gt_simcc)):
        for axis, t in zip('xy', pair):
            if not isinstance(t, torch.Tensor) or not t.is_floating_point() or t.ndim != 3:
                raise ValueError(f'{name} {axis} must be a float tensor of shape (N, K, bins), got '
                                 f'{type(t).__name__} {getattr(t, "dtype", "")} {tuple(getattr(t, "shape", ()))}')
            if t.shape[:2] != (n, k):
                raise ValueError(f'{name} {axis} has shape {tuple(t.shape)}; expected leading (N, K) = {(n, k)}')
    for p, g in zip(pred_simcc, gt_simcc):
        if p.shape != g.shape:
            raise ValueError(f'prediction {tuple(p.shape)} and label {tuple(g.shape)} shapes differ')
    if target_weight.numel() != n * k:
        raise ValueError(f'target_weight must have N*K = {n * k} elements (shape (N, K)), '
                         f'got {tuple(target_weight.shape)}')
    return n, k

"""``RTMDetHead.predict_by_feat`` for ncnn through pnnx: decoded boxes and scores, NMS on the host."""
import torch
from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor


@FUNCTION_REWRITER.register_rewriter('mmdet.models.dense_heads.rtmdet_head.RTMDetHead.predict_by_feat',
                                     backend='ncnn')
def rtmdet_head__predict_by_feat__pnnx(self, cls_scores: list[Tensor], bbox_preds: list[Tensor],
                                       batch_img_metas: list[dict] | None = None, cfg=None, rescale: bool = False,
                                       with_nms: bool = True) -> tuple[Tensor, Tensor]:
    """All priors' ``boxes (N, P, 4)`` (x1, y1, x2, y2 in input pixels) and sigmoid ``scores (N, P, C)``.

    MMDeploy's ncnn version of this function ends in a ``DetectionOutput`` custom op that only its own onnx2ncnn
    converter knows, and pnnx has no counterpart of ONNX ``NonMaxSuppression``; so for ncnn the graph stops
    after the box decode (point prior +- predicted distances, as the default rewriter does) and the caller runs
    NMS (``post_processing`` of the deploy config: score and IoU thresholds). ``P`` is the number of priors
    over all levels (2100 at 320x320 with strides 8, 16, 32).
    """
    batch = bbox_preds[0].shape[0]
    sizes = [score.shape[2:] for score in cls_scores]
    priors = torch.cat(self.prior_generator.grid_priors(sizes, device=cls_scores[0].device))[None, :, :2]  # (1, P, 2)
    scores = torch.cat([s.permute(0, 2, 3, 1).reshape(batch, -1, self.cls_out_channels) for s in cls_scores], 1)
    dists = torch.cat([b.permute(0, 2, 3, 1).reshape(batch, -1, 4) for b in bbox_preds], 1)
    boxes = torch.cat([priors - dists[..., :2], priors + dists[..., 2:]], dim=-1)
    return boxes, scores.sigmoid()

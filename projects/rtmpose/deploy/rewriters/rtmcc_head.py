"""``RTMCCHead.forward`` during export: SimCC logits, or keypoints and scores when the decode is exported."""
from mmdeploy.core import FUNCTION_REWRITER
from mmdeploy.utils import get_codebase_config
from torch import Tensor

from .simcc_decode_graph import simcc_decode_graph


@FUNCTION_REWRITER.register_rewriter('rtmpose.models.heads.rtmcc_head.RTMCCHead.forward')
def rtmcc_head__forward(self, feats: tuple[Tensor, ...]) -> tuple[Tensor, Tensor]:
    """Return ``simcc_x (N, K, Wx)``, ``simcc_y (N, K, Wy)``, or with ``codebase_config.export_postprocess``
    ``keypoints (N, K, 2)`` in input pixels and ``scores (N, K)`` (see :func:`.simcc_decode_graph`).

    The decode inside the graph supports what :class:`rtmpose.codecs.SimCCLabel` does without DARK and without
    the visibility decode; other decoders are refused at export time rather than exported differently.
    """
    ctx = FUNCTION_REWRITER.get_context()
    simcc_x, simcc_y = ctx.origin_func(self, feats)
    if not get_codebase_config(ctx.cfg).get('export_postprocess', False):
        return simcc_x, simcc_y
    decoder = self.decoder
    if decoder is None or decoder.use_dark or decoder.decode_visibility:
        raise ValueError('export_postprocess=True exports the plain SimCC argmax decode; the head decoder must be a '
                         'SimCCLabel with use_dark=False and decode_visibility=False, got '
                         f'{None if decoder is None else vars(decoder)}')
    return simcc_decode_graph(simcc_x, simcc_y, decoder.simcc_split_ratio)

"""MMDeploy function rewriters, registered when an MMDeploy export runs (:mod:`rtmpose.deploy.onnx_export` imports
this package; deploy configs also name it in ``codebase_config.module``).

MMDeploy keys each rewriter to a qualified function name (``mmpose.models.heads.RTMCCHead.forward``, ...), so
MMPose's rewriters never touch our classes, which live under ``rtmpose.models``. Ours:

- :mod:`.rtmcc_head`: ``RTMCCHead.forward`` (all backends): SimCC logits, or the decode inside the graph with
  ``codebase_config.export_postprocess`` (:mod:`.simcc_decode_graph`: that decode as traceable torch operations).
- :mod:`.scale_norm_fp16_safe`: ``ScaleNorm.forward`` (ncnn, TensorRT): an L2 norm that cannot overflow in FP16.
- :mod:`.rtmcc_block_ncnn`: ``RTMCCBlock._forward`` (ncnn): the GAU without rank-4 tensors.
- :mod:`.scale_ncnn`: ``Scale.forward`` (ncnn): a rank-matched broadcast.
- :mod:`.rtmdet_head_ncnn`: mmdet's ``RTMDetHead.predict_by_feat`` (ncnn through pnnx): boxes and scores before
  NMS, since pnnx has no NMS.
"""
from . import rtmcc_block_ncnn, rtmcc_head, rtmdet_head_ncnn, scale_ncnn, scale_norm_fp16_safe  # noqa: F401

"""Deployment of RTMPose through MMDeploy: rewriters for our classes and the conversions MMDeploy's wheel lacks.

``import rtmpose.deploy`` (or ``codebase_config=dict(..., module=['rtmpose.deploy'])`` in a deploy config)
registers MMDeploy function rewriters for the ``rtmpose`` head and GAU layers (:mod:`.rewriters`). MMDeploy is
imported here only, never by ``import rtmpose``.

- :mod:`.pipeline`: the flow of ``tools/deploy.py``: :mod:`.checks` (everything that can fail before any work),
  :mod:`.onnx_export` (``mmdeploy.apis.torch2onnx`` with :mod:`.torchscript_exporter` and, for ncnn,
  :mod:`.pnnx_rewriter_scope`), then :mod:`.ort_fp16`, :mod:`.ncnn_convert` (pnnx) or :mod:`.tensorrt_convert`,
  and :mod:`.sdk_info`; :mod:`.artifacts` names the files.
- :mod:`.simcc_decode`: the SimCC decode as graph operations (``export_postprocess``).
- :mod:`.backend_model` runs any converted model; :mod:`.parity` compares keypoints; :mod:`.coco_crops` makes
  real person crops; :mod:`.head_fit` gives a random model a peaked head so that parity is measurable without
  trained weights; :mod:`.ort_int8` quantises for ONNX Runtime.
"""
from . import rewriters  # noqa: F401  (registers the rewriters)
from .simcc_decode import simcc_decode

__all__ = ['simcc_decode']

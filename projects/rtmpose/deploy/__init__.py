"""Export and conversion: PyTorch -> ONNX -> ONNX Runtime / TensorRT / ncnn files, with MMDeploy's SDK metadata.

Importing this package imports nothing (neither MMDeploy nor torch); each module imports what it needs, and our
MMDeploy rewriters (:mod:`.rewriters`) are registered when an MMDeploy export runs.

- :mod:`.pipeline`: the flow of ``tools/deploy.py``: :mod:`.checks` (everything that can fail before any work),
  :mod:`.onnx_export` (``mmdeploy.apis.torch2onnx`` with :mod:`.torchscript_exporter` and, for ncnn,
  :mod:`.pnnx_rewriter_scope`), then :mod:`.ort_fp16`, :mod:`.ncnn_convert` (pnnx) or :mod:`.tensorrt_convert`,
  and :mod:`.sdk_info`; :mod:`.artifacts` names the files and opens them on their runtime for verification.
- :mod:`.torch_export`: RTMPose -> ONNX with ``torch.onnx`` alone (MMDeploy's layout, no MMDeploy).
- :mod:`.onnx_graph`: an RTMDet export cut before its NMS (for ncnn).
- :mod:`.ort_int8`: static INT8 quantisation for ONNX Runtime; :mod:`.timing`: interleaved speed comparison.

Converted models run through :mod:`rtmpose.backends`, the same objects the inference pipeline uses.
"""

# FP16 weights and compute for ONNX Runtime (GPU execution providers); inputs and outputs stay float32
# (keep_io_types), so callers feed the same arrays as to the FP32 model. Written as end2end_fp16.onnx next to
# the FP32 end2end.onnx.
_base_ = ['../_base_/pose-detection_simcc_dynamic-256x192.py', '../_base_/backends/onnxruntime.py']

backend_config = dict(precision='FP16')

# TensorRT FP16, dynamic batch 1..32 (optimised for 8). The export for TensorRT uses the FP16-safe ScaleNorm
# rewriter (rtmpose.deploy.rewriters.scale_norm_fp16_safe): the norm's sum of squares, which overflows FP16 and
# zeroes whole keypoint tokens, is taken of the max-scaled input.
_base_ = ['./pose-detection_simcc_tensorrt_dynamic-256x192.py']

backend_config = dict(common_config=dict(fp16_mode=True))

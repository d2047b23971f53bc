# TensorRT FP32, dynamic batch 1..32 (optimised for 8).
_base_ = ['../_base_/pose-detection_simcc_dynamic-256x192.py', '../_base_/backends/tensorrt.py']

backend_config = dict(model_inputs=[
    dict(input_shapes=dict(input=dict(
        min_shape=[1, 3, 256, 192],
        opt_shape=[8, 3, 256, 192],
        max_shape=[32, 3, 256, 192])))
])

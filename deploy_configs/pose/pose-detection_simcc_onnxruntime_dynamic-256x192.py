_base_ = ['../_base_/pose-detection_simcc_dynamic-256x192.py', '../_base_/backends/onnxruntime.py']

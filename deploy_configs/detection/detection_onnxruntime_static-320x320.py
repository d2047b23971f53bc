_base_ = ['../_base_/detection_static-320x320.py', '../_base_/backends/onnxruntime.py']

_base_ = ['../_base_/pose-detection_simcc_static-256x192.py', '../_base_/backends/ncnn.py']

_base_ = ['./detection_tensorrt_static-320x320.py']

backend_config = dict(common_config=dict(fp16_mode=True))

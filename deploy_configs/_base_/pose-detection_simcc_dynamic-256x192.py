# RTMPose (SimCC) with a dynamic batch axis: N crops per call.
_base_ = ['./pose-detection_simcc_static-256x192.py']

onnx_config = dict(dynamic_axes={
    'input': {0: 'batch'},
    'simcc_x': {0: 'batch'},
    'simcc_y': {0: 'batch'},
})

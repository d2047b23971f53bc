_base_ = ['../_base_/detection_static-320x320.py', '../_base_/backends/tensorrt.py']

backend_config = dict(model_inputs=[
    dict(input_shapes=dict(input=dict(
        min_shape=[1, 3, 320, 320],
        opt_shape=[1, 3, 320, 320],
        max_shape=[1, 3, 320, 320])))
])

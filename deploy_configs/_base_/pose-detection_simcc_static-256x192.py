# RTMPose (SimCC) top-down pose, 256x192 input (w, h) = (192, 256), one crop per call.
# `module=['rtmpose.deploy.rewriters']` makes MMDeploy import our rewriters for the `rtmpose` classes (MMDeploy's
# own rewriters are keyed to MMPose's class paths).
_base_ = ['./onnx_config.py']

onnx_config = dict(input_shape=[192, 256], output_names=['simcc_x', 'simcc_y'])
codebase_config = dict(type='mmpose', task='PoseDetection', module=['rtmpose.deploy.rewriters'])

# ncnn (through pnnx) has no NMS layer for MMDeploy's ONNX NMS: the graph ends with the decoded boxes (1, 2100, 4)
# (x1, y1, x2, y2 in the 320x320 input) and sigmoid scores (1, 2100, 1) of all priors; run NMS on the host with the
# post_processing thresholds below (rtmpose.deploy.rewriters.rtmdet_head_ncnn).
_base_ = ['../_base_/detection_static-320x320.py', '../_base_/backends/ncnn.py']

onnx_config = dict(output_names=['boxes', 'scores'])

# SimCC decode inside the graph (beyond MMDeploy's rewriter for MMPose's head: keypoints with score <= 0 are set to
# -1 / simcc_split_ratio as in the Python decode). Outputs keypoints (N, 17, 2) in input pixels and scores (N, 17):
# no post-processing is left to the runtime except the affine map back to the image.
_base_ = ['../_base_/pose-detection_simcc_dynamic-256x192.py', '../_base_/backends/onnxruntime.py']

onnx_config = dict(
    output_names=['keypoints', 'scores'],
    dynamic_axes={
        '_delete_': True,  # replaces the simcc_x / simcc_y axes of the base
        'input': {0: 'batch'},
        'keypoints': {0: 'batch'},
        'scores': {0: 'batch'},
    })
codebase_config = dict(export_postprocess=True)

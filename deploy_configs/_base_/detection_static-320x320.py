# RTMDet person detector (mmdet codebase), 320x320 input, NMS inside the graph; outputs dets (N, 100, 5) and
# labels (N, 100). The post-processing numbers are those of the official rtmdet-nano person export
# (shared/models/rtmdet-nano-person/detail.json).
_base_ = ['./onnx_config.py']

onnx_config = dict(input_shape=[320, 320], output_names=['dets', 'labels'])
codebase_config = dict(
    type='mmdet',
    task='ObjectDetection',
    model_type='end2end',
    post_processing=dict(
        score_threshold=0.05,
        confidence_threshold=0.005,
        iou_threshold=0.5,
        max_output_boxes_per_class=200,
        pre_top_k=5000,
        keep_top_k=100,
        background_label_id=-1))

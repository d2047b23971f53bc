# ONNX export settings shared by every deploy config (MMDeploy's `onnx_config`).
onnx_config = dict(
    type='onnx',
    export_params=True,
    keep_initializers_as_inputs=False,
    opset_version=11,
    save_file='end2end.onnx',
    input_names=['input'],
    output_names=['output'],
    input_shape=None,
    # MMDeploy's graph optimizer passes need its TorchScript extension, which the PyPI wheel does not ship;
    # every runtime used here (ONNX Runtime, pnnx, TensorRT) simplifies the graph itself.
    optimize=False)

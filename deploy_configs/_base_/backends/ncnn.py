# ncnn through pnnx (the mmdeploy wheel has no onnx2ncnn). `precision` is 'FP32' or 'FP16' (fp16 weights and
# fp16 storage/arithmetic where the device supports them).
backend_config = dict(type='ncnn', precision='FP32', use_vulkan=False)

"""Support for the tests, the benchmarks and the checking tools (``tools/verify_backend.py``,
``tools/quantize_int8.py``), not used by the library itself; imports torch / OpenMMLab where a helper needs them.

- :mod:`.peaked`: a random-weight RTMPose whose keypoints can be followed (pipeline and tracker tests, speed runs).
- :mod:`.head_fit`: a random backbone with a head fitted to real crops, so backend parity is measurable in keypoints.
- :mod:`.coco_crops`: real person crops cut by MMPose's own top-down transforms.
- :mod:`.parity`: keypoint parity between the PyTorch model and a converted one.
- :mod:`.reference`, :mod:`.equivalence_inputs`: our modules next to MMPose's, and the inputs they are compared on.
"""

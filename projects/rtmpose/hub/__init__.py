"""Finding and opening model files: model names (the model table, downloads into the cache), MMDeploy SDK folders,
ONNX / ncnn / TensorRT files and OpenMMLab configs become a :class:`~rtmpose.inference.TopDownPoseModel` or a
:class:`~rtmpose.inference.Detector` on the backend the file is for (:func:`build_pose_model`,
:func:`build_detector`), or both in a :class:`~rtmpose.inference.PoseTracker` (:func:`build_tracker`, the
detector's backend paired with the pose model's by :func:`pair_backends`).

>>> pose = build_pose_model('rtmpose-m-wholebody')  # a name of the model table: downloaded once, then cached
>>> det = build_detector('rtmdet-nano-person/', backend='openvino', threads=2)
>>> tracker = build_tracker('rtmpose-m', backend='openvino')
"""
from .build import build_detector, build_pose_model, guess_backend, model_backends, normalize_backend
from .download import DownloadError, cache_dir
from .model_zoo import MODELS, model_names
from .pipeline import build_tracker, pair_backends

__all__ = ['MODELS', 'DownloadError', 'build_detector', 'build_pose_model', 'build_tracker', 'cache_dir',
           'guess_backend', 'model_backends', 'model_names', 'normalize_backend', 'pair_backends']

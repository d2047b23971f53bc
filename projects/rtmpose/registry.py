"""Registries of the ``rtmpose`` scope.

mmengine imports this module when a config's ``default_scope`` is ``'rtmpose'``; each registry imports the modules
that register into it (its ``locations``) the first time it is searched.

Each registry is a child of the MMPose registry of the same name (the way mmyolo builds on mmdet). A config with
``default_scope = 'rtmpose'`` therefore builds the classes registered here (``RTMCCHead``, ``RTMCCBlock``,
``SimCCLabel``, ``KLDiscretLoss``) and falls through to MMPose, and from there to mmengine, for everything else
(datasets, transforms, evaluators, ``TopdownPoseEstimator``). ``_scope_='mmdet'`` reaches mmdet (e.g. ``CSPNeXt``).
MMPose's own registries are not modified, and importing this module only defines registries: the hooks and the
``'atomic_local'`` file backend of :mod:`rtmpose.engine` register when a runner first looks up a hook or optimizer
wrapper in this scope.
"""
from mmengine.registry import Registry
from mmpose import registry as mmpose_registry


def _child(parent: Registry, locations: list[str] | None = None) -> Registry:
    # The parent's locations come first: looking a name up here imports MMPose's modules that register it.
    return Registry(parent.name, parent=parent, scope='rtmpose', locations=[*parent._locations, *(locations or [])])


RUNNERS = _child(mmpose_registry.RUNNERS)
RUNNER_CONSTRUCTORS = _child(mmpose_registry.RUNNER_CONSTRUCTORS)
LOOPS = _child(mmpose_registry.LOOPS)
HOOKS = _child(mmpose_registry.HOOKS, ['rtmpose.engine'])
DATASETS = _child(mmpose_registry.DATASETS, ['rtmpose.datasets'])
DATA_SAMPLERS = _child(mmpose_registry.DATA_SAMPLERS)
TRANSFORMS = _child(mmpose_registry.TRANSFORMS)
MODELS = _child(mmpose_registry.MODELS, ['rtmpose.models'])
MODEL_WRAPPERS = _child(mmpose_registry.MODEL_WRAPPERS)
WEIGHT_INITIALIZERS = _child(mmpose_registry.WEIGHT_INITIALIZERS)
BATCH_AUGMENTS = _child(mmpose_registry.BATCH_AUGMENTS)
OPTIMIZERS = _child(mmpose_registry.OPTIMIZERS)
OPTIM_WRAPPERS = _child(mmpose_registry.OPTIM_WRAPPERS, ['rtmpose.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = _child(mmpose_registry.OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = _child(mmpose_registry.PARAM_SCHEDULERS)
METRICS = _child(mmpose_registry.METRICS, ['rtmpose.evaluation.coco_metric'])
EVALUATORS = _child(mmpose_registry.EVALUATORS)
TASK_UTILS = _child(mmpose_registry.TASK_UTILS)
VISUALIZERS = _child(mmpose_registry.VISUALIZERS)
VISBACKENDS = _child(mmpose_registry.VISBACKENDS)
LOG_PROCESSORS = _child(mmpose_registry.LOG_PROCESSORS)
KEYPOINT_CODECS = _child(mmpose_registry.KEYPOINT_CODECS, ['rtmpose.codecs.simcc_label'])
INFERENCERS = _child(mmpose_registry.INFERENCERS)

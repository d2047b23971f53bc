"""Evaluation: the ``CocoMetric`` of this scope (MMPose's, with its annotation file checked before the run) and the
AP of the whole pipeline (detector, crops, pose model, exactly as ``mim test`` scores them): :mod:`.image_set`,
:mod:`.pipeline_eval` and :mod:`.pipeline_metric`. Only :mod:`.coco_metric` imports MMPose; it is imported when
``CocoMetric`` is first used (the registry's location), so the pipeline evaluation runs without the training stack.
"""
import importlib

__all__ = ['CocoMetric']


def __getattr__(name: str):
    if name == 'CocoMetric':
        return importlib.import_module(f'{__name__}.coco_metric').CocoMetric
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

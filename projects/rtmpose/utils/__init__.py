"""Utilities without OpenMMLab or torch: input-file checks (:mod:`.preflight`) and the like.

Each module is imported where it is used; this package only re-exports the file checks' error and functions.
"""
from .preflight import MissingInputError, check_annotation_file, check_checkpoint, check_dataset_files

__all__ = ['MissingInputError', 'check_annotation_file', 'check_checkpoint', 'check_dataset_files']

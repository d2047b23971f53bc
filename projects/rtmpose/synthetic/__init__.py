"""The synthetic demo dataset: scenes of articulated figures rendered with numpy and OpenCV, written as a
COCO person-keypoint dataset (:func:`generate_demo_dataset`), deterministic for a seed.

A pose (:mod:`.pose`) goes through forward kinematics (:mod:`.body`), is placed in the image (:mod:`.placement`)
and painted as a region map (:mod:`.figure`, :mod:`.draw`, :mod:`.regions`), which the scene colours
(:mod:`.appearance`) over a cluttered background (:mod:`.texture`) and annotates (:mod:`.annotation`);
:mod:`.scene` composes one image, :mod:`.writer` writes a split and :mod:`.generator` the dataset.
"""
from .generator import ensure_demo_dataset, generate_demo_dataset
from .scene import render_scene

__all__ = ['ensure_demo_dataset', 'generate_demo_dataset', 'render_scene']

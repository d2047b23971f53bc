"""The RTMPose config of a custom keypoint set: the recipe of one model size (``configs/rtmpose-<size>_coco.py``)
with its head sized to the keypoints, its dataset and evaluators pointed at the written files, and its schedule scaled
to the data set's size."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from ..metainfo.files import REPO_CONFIG_DIR

#: Iterations a fine-tune runs, whatever the data set's size: the epochs are this many iterations' worth (within
#: MIN_EPOCHS..MAX_EPOCHS; MAX_EPOCHS is the paper's COCO schedule), so a small set runs many short epochs and a
#: large one few long ones.
TRAIN_ITERATIONS = 10_000
MIN_EPOCHS, MAX_EPOCHS = 30, 420
#: The paper's warm-up (iterations), shortened to a tenth of a short run.
WARMUP_ITERATIONS = 1000
#: The recipe's last 30 of 420 epochs train with weaker augmentation: the same fraction here.
STAGE2_FRACTION = 30 / 420
#: Per-GPU batch size of MMPose's single-set animal recipes (AP-10K: 8 GPUs x 64); on a CPU, smaller steps.
GPU_BATCH_SIZE, CPU_BATCH_SIZE = 64, 16
#: The COCO recipe's label sigma at 256 pixels; the official configs scale it with the square root of the size
#: (192 -> 4.9, 256 -> 5.66, 288 -> 6.0, 384 -> 6.93).
SIGMA_AT_256 = 5.66


def recipe_sizes() -> list[str]:
    """The sizes that have a COCO recipe here (``configs/rtmpose-<size>_coco.py``): ``['l', 'm', 's', 't']``."""
    return sorted(path.name[len('rtmpose-'):-len('_coco.py')] for path in REPO_CONFIG_DIR.glob('rtmpose-*_coco.py'))


@dataclass(frozen=True)
class Schedule:
    """Epochs, warm-up and batch size for ``num_instances`` training instances (see the module's constants)."""

    num_instances: int
    batch_size: int

    @property
    def iters_per_epoch(self) -> int:
        return max(1, math.ceil(self.num_instances / self.batch_size))

    @property
    def max_epochs(self) -> int:
        return min(MAX_EPOCHS, max(MIN_EPOCHS, math.ceil(TRAIN_ITERATIONS / self.iters_per_epoch)))

    @property
    def warmup_iters(self) -> int:
        return min(WARMUP_ITERATIONS, self.max_epochs * self.iters_per_epoch // 10)

    @property
    def stage2_epochs(self) -> int:
        return max(1, round(self.max_epochs * STAGE2_FRACTION))

    @property
    def val_interval(self) -> int:
        return max(1, self.max_epochs // 10)


def machine_batch_size(num_instances: int) -> int:
    """The batch size for this machine (a GPU or not), at most the number of training instances."""
    import torch  # only here: which machine trains
    return max(1, min(num_instances, GPU_BATCH_SIZE if torch.cuda.is_available() else CPU_BATCH_SIZE))


@dataclass(frozen=True)
class DataFiles:
    """Absolute paths the config points at."""

    metainfo: Path
    train_ann: Path
    train_img_dir: Path
    val_ann: Path
    val_img_dir: Path


def pose_config_text(out: Path, size: str, num_keypoints: int, input_size: tuple[int, int], schedule: Schedule,
                     files: DataFiles, source: str) -> str:
    """The config file written at ``out`` for ``size`` (``'t'``), ``num_keypoints`` keypoints at ``input_size``
    ``(w, h)``, annotations from ``source``."""
    base = REPO_CONFIG_DIR / f'rtmpose-{size}_coco.py'
    sigma = tuple(round(SIGMA_AT_256 * math.sqrt(s / 256), 2) for s in input_size)
    feat = tuple(s // 32 for s in input_size)
    s = schedule
    return f'''\
# RTMPose-{size} for {num_keypoints} keypoints, written by tools/make_config.py from
# {source}:
# the recipe of configs/rtmpose-{size}_coco.py (its backbone's pretrained checkpoint included) on this data set.
_base_ = [{_relative(base, out.parent)!r}]

# schedule: {TRAIN_ITERATIONS} iterations' worth of epochs ({s.num_instances} instances / batch {s.batch_size} = \
{s.iters_per_epoch} iterations an epoch),
# within {MIN_EPOCHS}..{MAX_EPOCHS} epochs; warm-up {WARMUP_ITERATIONS} iterations or a tenth of the run; the last \
{STAGE2_FRACTION * 420:.0f}/420 of the epochs
# with the recipe's weaker augmentation; lr as the recipe (`--auto-scale-lr` is a no-op at this batch size)
max_epochs = {s.max_epochs}
stage2_num_epochs = {s.stage2_epochs}
train_cfg = dict(max_epochs=max_epochs, val_interval={s.val_interval})
param_scheduler = [
    dict(_base_.param_scheduler[0], end={s.warmup_iters}),
    dict(_base_.param_scheduler[1], begin=max_epochs // 2, end=max_epochs, T_max=max_epochs // 2),
]
auto_scale_lr = dict(base_batch_size={s.batch_size})

# input size (w, h); the label sigma scales with the square root of the size as in the official configs
input_size = {input_size}
codec = dict(_base_.codec, input_size=input_size, sigma={sigma})
model = dict(head=dict(out_channels={num_keypoints}, input_size=input_size, in_featuremap_size={feat}, decoder=codec))
sized = dict(TopdownAffine=dict(input_size=input_size), GenerateTarget=dict(encoder=codec))
train_pipeline = [dict(t, **sized.get(t['type'], {{}})) for t in _base_.train_pipeline]
train_pipeline_stage2 = [dict(t, **sized.get(t['type'], {{}})) for t in _base_.train_pipeline_stage2]
val_pipeline = [dict(t, **sized.get(t['type'], {{}})) for t in _base_.val_pipeline]

# the keypoint set (names, flip pairs, skeleton, sigmas): edit it there
metainfo = dict(from_file={str(files.metainfo)!r})
dataset_type = 'CocoDataset'
train_dataloader = dict(
    batch_size={s.batch_size},
    dataset=dict(type=dataset_type, data_root='', metainfo=metainfo, ann_file={str(files.train_ann)!r},
                 data_prefix=dict(img={_folder(files.train_img_dir)!r}), pipeline=train_pipeline))
# validated on the ground-truth boxes
val_dataloader = dict(
    batch_size={s.batch_size},
    dataset=dict(
        _delete_=True, type=dataset_type, data_root='', data_mode='topdown', metainfo=metainfo,
        ann_file={str(files.val_ann)!r}, data_prefix=dict(img={_folder(files.val_img_dir)!r}), test_mode=True,
        pipeline=val_pipeline))
test_dataloader = val_dataloader
# COCO AP with the keypoint set's sigmas
val_evaluator = dict(type='CocoMetric', ann_file={str(files.val_ann)!r})
test_evaluator = val_evaluator

custom_hooks = [
    dict(hook, switch_epoch=max_epochs - stage2_num_epochs, switch_pipeline=train_pipeline_stage2)
    if 'switch_epoch' in hook else hook for hook in _base_.custom_hooks
]
'''


def _relative(path: Path, start: Path) -> str:
    """``path`` relative to ``start`` when both are in this repository (the config moves with it), else absolute."""
    inside = REPO_CONFIG_DIR.parent in start.resolve().parents or start.resolve() == REPO_CONFIG_DIR.parent
    return os.path.relpath(path, start.resolve()) if inside else str(path)


def _folder(path: Path) -> str:
    return str(path).rstrip('/') + '/'

"""Issue 23 item 13 (and issue 21): a dataset whose keypoint set is wrong stops training before the first iteration
with a message that names the metainfo file, the problem and the fix. MMPose itself trained a full epoch, then failed
at the first validation (``shapes (17,) (16,)`` for sigmas of the wrong length, ``(17,) (0,)`` for none), and
trained on silently with a one-sided swap (a corrupt ``flip_indices``)."""
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from rtmpose.metainfo import mmpose_config_dir, read_metainfo_file
from rtmpose.utils.data_scan import DataError
from tests.conftest import require_shared
from tests.paths import CONFIGS


def _demo_on_coco_images(tmp_path, coco_ann, metainfo_file) -> Config:
    """The demo recipe on the 4 real COCO images, labelled with ``metainfo_file``, one epoch then validation."""
    cfg = Config.fromfile(str(CONFIGS / 'rtmpose-t_demo.py'))
    dataset = dict(type='CocoDataset', data_root=f'{coco_ann.parent}/', data_mode='topdown', ann_file=coco_ann.name,
                   data_prefix=dict(img=''), metainfo=dict(from_file=str(metainfo_file)))
    loader = dict(num_workers=0, persistent_workers=False, batch_size=2)
    cfg.train_dataloader = dict(loader, sampler=dict(type='DefaultSampler', shuffle=False),
                                dataset=dict(dataset, pipeline=cfg.train_pipeline))
    cfg.val_dataloader = dict(loader, drop_last=False, sampler=dict(type='DefaultSampler', shuffle=False),
                              dataset=dict(dataset, test_mode=True, pipeline=cfg.val_pipeline))
    cfg.test_dataloader = cfg.val_dataloader
    cfg.val_evaluator = cfg.test_evaluator = dict(type='CocoMetric', ann_file=str(coco_ann))
    cfg.train_cfg = dict(by_epoch=True, max_epochs=1, val_interval=1)
    cfg.work_dir = str(tmp_path / 'work')
    return cfg


def _coco_metainfo(tmp_path, change):
    info = read_metainfo_file(mmpose_config_dir() / '_base_' / 'datasets' / 'coco.py')
    info.update(change(info))
    path = tmp_path / 'my_coco.py'
    path.write_text(f'dataset_info = {info!r}\n')
    return path


@pytest.mark.parametrize('change, message', [
    (lambda info: {'sigmas': info['sigmas'][:16]}, r'16 sigmas for 17 keypoints: give one OKS sigma per keypoint'),
    (lambda info: {'sigmas': []}, r'has no OKS sigmas, which CocoMetric needs: add sigmas=\[...\]'),
    (lambda info: {'keypoint_info': {**info['keypoint_info'], 2: {**info['keypoint_info'][2], 'swap': ''}}},
     r"keypoint 'left_eye' flips onto 'right_eye', which flips onto 'right_eye': give both keypoints"),
])
def test_wrong_keypoint_set_stops_before_the_first_iteration(tmp_path, shared_dir, change, message):
    coco_ann = require_shared(shared_dir, 'data/coco/test_coco.json')
    metainfo = _coco_metainfo(tmp_path, change)
    runner = Runner.from_cfg(_demo_on_coco_images(tmp_path, coco_ann, metainfo))
    with pytest.raises(DataError, match=rf'^{metainfo} \((train|val)_dataloader\.dataset\.metainfo\).*{message}'):
        runner.train()
    assert runner.iter == 0


@pytest.mark.slow
def test_the_right_keypoint_set_trains(tmp_path, shared_dir):
    """The same run with MMPose's own file goes through the epoch and the validation."""
    coco_ann = require_shared(shared_dir, 'data/coco/test_coco.json')
    metainfo = _coco_metainfo(tmp_path, lambda info: {})
    runner = Runner.from_cfg(_demo_on_coco_images(tmp_path, coco_ann, metainfo))
    runner.train()
    assert runner.iter == len(runner.train_dataloader) > 0

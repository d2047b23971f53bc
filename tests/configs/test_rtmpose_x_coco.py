"""RTMPose-x COCO config (configs/coco/rtmpose-x_coco-384x288.py) against MMPose's official one.

The official config is only in MMPose's
``projects/rtmpose/rtmpose/body_2d_keypoint/rtmpose-x_8xb256-700e_coco-384x288.py`` (not in the wheel). It is the
wheel's RTMPose-l 384x288 config (``rtmpose-l_8xb256-420e_aic-coco-384x288.py``) with the settings of ``x_changes()``
changed, which is how the reference is made here."""
from tests.configs.family import OFFICIAL, assert_equals_official, load, model_sizes, official

L_384 = 'body_2d_keypoint/rtmpose/coco/rtmpose-l_8xb256-420e_aic-coco-384x288.py'
COCO_256 = 'body_2d_keypoint/rtmpose/coco/rtmpose-l_8xb256-420e_coco-256x192.py'


def x_changes() -> dict:
    """The settings of the official x config that differ from the wheel's l 384x288 config (dotted path -> value)."""
    ref = official(L_384)
    wider = dict(scale_factor=[0.5, 1.5], rotate_factor=90)
    stage1 = [dict(t) for t in ref.train_pipeline]
    stage1[4].update(wider)
    stage1[6] = dict(type='PhotometricDistortion')
    stage2 = [dict(t) for t in ref.train_pipeline_stage2]
    stage2[4].update(wider)
    coco = official(COCO_256)
    coco_train = coco.train_dataloader.dataset.to_dict()
    coco_test = {key: coco.val_dataloader.dataset[key] for key in ('data_root', 'ann_file', 'data_prefix')}
    # the x config names the detector boxes (MMPose's COCO configs leave them commented out)
    coco_test['bbox_file'] = 'data/coco/person_detection_results/COCO_val2017_detections_AP_H_56_person.json'
    # the size table's x row: MMPose's (checked against the wheel's Body8 and COCO-WholeBody x configs)
    x = model_sizes().x
    return {
        **{f'{loader}.dataset.{key}': value for loader in ('val_dataloader', 'test_dataloader')
           for key, value in coco_test.items()},
        'val_evaluator': coco.val_evaluator.to_dict(),
        'test_evaluator': coco.test_evaluator.to_dict(),
        'model.backbone.deepen_factor': x.backbone.deepen_factor,
        'model.backbone.widen_factor': x.backbone.widen_factor,
        'model.backbone.init_cfg.checkpoint': x.checkpoints.udp_body7_384x288,
        'model.head.in_channels': x.head.in_channels,
        'optim_wrapper.clip_grad': dict(max_norm=35, norm_type=2),
        'train_cfg.max_epochs': 700,
        'param_scheduler.1.begin': 350,
        'param_scheduler.1.end': 700,
        'param_scheduler.1.T_max': 350,
        'train_dataloader.dataset': dict(coco_train, pipeline=stage1),
        'custom_hooks.1.switch_epoch': 680,
        'custom_hooks.1.switch_pipeline': stage2,
    }


def test_equals_the_official_project_config():
    assert (OFFICIAL / L_384).is_file()
    assert_equals_official(load('coco/rtmpose-x_coco-384x288.py'), official(L_384), x_changes())


"""UDP pretraining configs (configs/pretrain/): CSPNeXt-{tiny,s,m,l} heatmap models on COCO and AIC+COCO equal
MMPose's official ``topdown_heatmap/coco/cspnext-*_udp_*`` configs except where listed; the tiny model trains and
flip-tests on heatmaps; and its checkpoint seeds an RTMPose config's backbone through ``init_cfg`` with
``prefix='backbone.'``."""
import pytest
import torch

from tests.configs.family import (
    assert_equals_official,
    build_model,
    check_train_step_and_flip_predict,
    load,
    official,
    our_configs,
)

#: the backbone sizes pretrained here (``cspnext-tiny``, ...)
ARCHS = [name.split('/')[-1].split('_')[0] for name in our_configs('pretrain/cspnext-*_udp_coco.py')]
WHEEL = 'body_2d_keypoint/topdown_heatmap/coco/'

#: intended difference of the AIC+COCO configs: our data layout (data/coco, data/aic, as every AIC+COCO config of
#: ours and the README's set-up) in place of OpenMMLab's cluster layout (data/detection/coco, data/pose/ai_challenge)
OUR_LAYOUT = {
    'train_dataloader.dataset.datasets.0.dataset.data_root': 'data/coco/',
    'train_dataloader.dataset.datasets.0.dataset.ann_file': 'annotations/person_keypoints_train2017.json',
    'train_dataloader.dataset.datasets.0.dataset.data_prefix': dict(img='train2017/'),
    'train_dataloader.dataset.datasets.1.data_root': 'data/aic/',
    'train_dataloader.dataset.datasets.1.ann_file': 'annotations/aic_train.json',
    'train_dataloader.dataset.datasets.1.data_prefix': dict(
        img='ai_challenger_keypoint_train_20170902/keypoint_train_images_20170902/'),
    'val_dataloader.dataset.data_root': 'data/coco/',
    'val_dataloader.dataset.ann_file': 'annotations/person_keypoints_val2017.json',
    'val_dataloader.dataset.data_prefix': dict(img='val2017/'),
    'test_dataloader.dataset.data_root': 'data/coco/',
    'test_dataloader.dataset.ann_file': 'annotations/person_keypoints_val2017.json',
    'test_dataloader.dataset.data_prefix': dict(img='val2017/'),
    'val_evaluator.ann_file': 'data/coco/annotations/person_keypoints_val2017.json',
    'test_evaluator.ann_file': 'data/coco/annotations/person_keypoints_val2017.json',
}


@pytest.mark.parametrize('arch', ARCHS)
def test_coco_config_equals_the_official_one(arch):
    # no intended difference besides our family-wide hooks and atomic checkpoints (ground-truth boxes, as MMPose
    # reports the pretraining AP)
    assert_equals_official(load(f'pretrain/{arch}_udp_coco.py'),
                           official(f'{WHEEL}{arch}_udp_8xb256-210e_coco-256x192.py'))


@pytest.mark.parametrize('arch', ARCHS)
def test_aic_coco_config_equals_the_official_one_in_our_data_layout(arch):
    cfg = load(f'pretrain/{arch}_udp_aic-coco.py')
    assert_equals_official(cfg, official(f'{WHEEL}{arch}_udp_8xb256-210e_aic-coco-256x192.py'), OUR_LAYOUT)
    assert cfg.model.head.out_channels == 19 and cfg.model.test_cfg.output_keypoint_indices == list(range(17))


def test_udp_checkpoint_seeds_the_rtmpose_backbone(tmp_path):
    # a training step of the tiny UDP model, saved as a runner checkpoint (backbone.* and head.* keys), then given to
    # RTMPose-t's backbone init_cfg: the RTMPose backbone holds exactly the UDP-trained weights
    udp = check_train_step_and_flip_predict(load('pretrain/cspnext-tiny_udp_coco.py'))
    torch.save(dict(state_dict=udp.state_dict(), meta=dict(epoch=1)), tmp_path / 'cspnext-tiny_udp.pth')
    model = build_model(load('rtmpose-t_coco.py'), dict(type='Pretrained', prefix='backbone.',
                                                         checkpoint=str(tmp_path / 'cspnext-tiny_udp.pth')))
    loaded, trained = model.backbone.state_dict(), udp.backbone.state_dict()
    assert loaded.keys() == trained.keys() and all(torch.equal(loaded[k], trained[k]) for k in trained)

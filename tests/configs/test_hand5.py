"""Hand5 (configs/hand/rtmpose-m_hand5.py) and our HalpeHandDataset: the config equals MMPose's official Hand5 config
except for our family-wide hooks and atomic checkpoints (the official one names a dataset class MMPose 1.3.2 lacks, so
only ours builds); HalpeHandDataset reads the hands of Halpe-format 136-point annotations (written here from the real
COCO-WholeBody fixture) as the same 21-point instances as CocoWholeBodyHandDataset; and the CombinedDataset of the
real hand fixtures puts every source keypoint on the COCO-WholeBody-Hand point of its name."""
import copy
import json

import numpy as np
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.registry import DATASETS

from rtmpose import registry as rtmpose_registry
from rtmpose.testing.reference import scope
from tests.configs.family import assert_equals_official, fixture_members, load, official
from tests.conftest import require_shared

NAME = 'hand/rtmpose-m_hand5.py'
FIXTURES = {'CocoWholeBodyHandDataset': 'coco/test_coco_wholebody.json', 'OneHand10KDataset':
            'onehand10k/test_onehand10k.json', 'FreiHandDataset': 'freihand/test_freihand.json',
            'Rhd2DDataset': 'rhd/test_rhd.json'}


def test_equals_the_official_config():
    assert_equals_official(load(NAME),
                           official('hand_2d_keypoint/rtmpose/hand5/rtmpose-m_8xb256-210e_hand5-256x256.py'))


def test_the_official_dataset_class_is_missing_from_mmpose():
    assert DATASETS.get('HalpeHandDataset') is None
    assert rtmpose_registry.DATASETS.get('HalpeHandDataset').__module__ == 'rtmpose.datasets.halpe_hand'


def halpe_format(wholebody: dict) -> dict:
    """COCO-WholeBody annotations rewritten as Halpe's: one 136-point ``keypoints`` list per person (body 0-16, the
    hands at 94-114 and 115-135, the rest unlabelled)."""
    out = copy.deepcopy(wholebody)
    for ann in out['annotations']:
        kpts = np.zeros((136, 3))
        kpts[:17] = np.reshape(ann['keypoints'], (17, 3))
        kpts[94:115] = np.reshape(ann['lefthand_kpts'], (21, 3))
        kpts[115:136] = np.reshape(ann['righthand_kpts'], (21, 3))
        ann['keypoints'] = kpts.ravel().tolist()
        for key in [k for k in ann if k.endswith(('_kpts', '_box', '_valid'))]:
            del ann[key]
    return out


def test_halpe_hands_equal_the_wholebody_hands(shared_dir, tmp_path):
    path = require_shared(shared_dir, 'data/coco/test_coco_wholebody.json')
    (tmp_path / 'halpe.json').write_text(json.dumps(halpe_format(json.loads(path.read_text()))))
    common = dict(data_mode='topdown', data_prefix=dict(img=f'{path.parent}/'), test_mode=True, pipeline=[])
    with scope('rtmpose'):
        ours = DATASETS.build(dict(type='HalpeHandDataset', ann_file=str(tmp_path / 'halpe.json'), **common))
        theirs = DATASETS.build(dict(type='CocoWholeBodyHandDataset', ann_file=str(path), **common))
    assert ours.metainfo['num_keypoints'] == 21 and ours.metainfo['flip_indices'] == theirs.metainfo['flip_indices']
    mine = [ours.get_data_info(i) for i in range(len(ours))]
    reference = [theirs.get_data_info(i) for i in range(len(theirs))]
    assert len(mine) == len(reference) > 0
    for a, b in zip(mine, reference):
        np.testing.assert_array_equal(a['keypoints'], b['keypoints'])
        np.testing.assert_array_equal(a['keypoints_visible'], b['keypoints_visible'])
        visible = a['keypoints'][0][a['keypoints_visible'][0] > 0]
        np.testing.assert_allclose(a['bbox'][0], [*visible.min(0), *visible.max(0)])  # the tight box of the hand


def test_every_mapped_keypoint_lands_on_the_point_of_its_name(shared_dir):
    cfg = load(NAME)
    names = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/coco_wholebody_hand.py'))['keypoint_id2name']
    members = fixture_members(cfg.test_dataloader.dataset.datasets, FIXTURES, shared_dir)
    with scope('rtmpose'):
        combined = DATASETS.build(dict(cfg.test_dataloader.dataset, datasets=members, pipeline=[]))
    start = 0
    for member, dataset in zip(members, combined.datasets):
        raw, out = dataset.get_data_info(0), combined.prepare_data(start)
        mapping = member['pipeline'][0]['mapping'] if member['pipeline'] else [(i, i) for i in range(21)]
        source_names = dataset.metainfo['keypoint_id2name']
        for src, dst in mapping:
            assert source_names[src] == names[dst], member['type']
            np.testing.assert_allclose(out['keypoints'][0][dst], raw['keypoints'][0][src])
        start += len(dataset)

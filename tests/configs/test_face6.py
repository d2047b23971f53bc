"""Face6 configs (configs/face/rtmpose-*_face6.py): equal to MMPose's official Face6 configs except for our
family-wide hooks and atomic checkpoints; the CombinedDataset of the real face fixtures of ../shared (LaPa,
COCO-WholeBody-Face, WFLW, 300W, COFW) puts every source landmark on its LaPa point, and averages the two source
points of each averaged target."""

import numpy as np
import pytest
from mmpose.registry import DATASETS

from rtmpose.testing.reference import scope
from tests.configs.family import assert_equals_official, fixture_members, load, official, our_configs

WHEEL = 'face_2d_keypoint/rtmpose/face6/'
FIXTURES = {'LapaDataset': 'lapa/test_lapa.json', 'CocoWholeBodyFaceDataset': 'coco/test_coco_wholebody.json',
            'WFLWDataset': 'wflw/test_wflw.json', 'Face300WDataset': '300w/test_300w.json',
            'COFWDataset': 'cofw/test_cofw.json'}


@pytest.mark.parametrize('name', our_configs('face/rtmpose-*_face6.py'))
def test_equals_the_official_config(name):
    model = name.split('/')[-1].split('_')[0]
    assert_equals_official(load(name), official(f'{WHEEL}{model}_8xb256-120e_face6-256x256.py'))


def test_every_mapped_landmark_lands_on_its_lapa_point(shared_dir):
    cfg = load('face/rtmpose-m_face6.py')
    members = fixture_members(cfg.test_dataloader.dataset.datasets, FIXTURES, shared_dir)
    assert len(members) == len(FIXTURES)
    with scope('rtmpose'):
        combined = DATASETS.build(dict(cfg.test_dataloader.dataset, datasets=members, pipeline=[]))
    start, averaged = 0, 0
    for member, dataset in zip(members, combined.datasets):
        raw, out = dataset.get_data_info(0), combined.prepare_data(start)
        kpts = out['keypoints'][0]
        assert kpts.shape == (106, 2), member['type']
        mapping = member['pipeline'][0]['mapping'] if member['pipeline'] else [(i, i) for i in range(106)]
        last = {dst: src for src, dst in mapping}  # COFW maps two points onto LaPa's 60: the later one is kept
        for dst, src in last.items():
            sources = src if isinstance(src, (list, tuple)) else (src, )
            averaged += len(sources) == 2
            np.testing.assert_allclose(kpts[dst], raw['keypoints'][0][list(sources)].mean(0), rtol=1e-6)
        start += len(dataset)
    assert averaged == 8  # COCO-WholeBody-Face and 300W: the 4 eyelid points each, between two source points

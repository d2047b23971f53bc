# The Hand5 sets (COCO-WholeBody-Hand, OneHand10K, FreiHAND, RHD, Halpe's hands), all in COCO-WholeBody-Hand's 21-point
# order (RHD's fingers reordered by a KeypointConverter), in OpenMMLab's data layout under data/ (as MMPose's Hand5
# config). configs/hand/rtmpose-m_hand5.py combines hand5_train_datasets for training and hand5_test_datasets for
# validation and testing.
# RHD numbers each finger from the tip: 1-4 -> 4-1, ...
rhd_to_coco_hand = [(0, 0)] + [(finger * 4 + 1 + i, finger * 4 + 4 - i) for finger in range(5) for i in range(4)]


def hand_set(dataset_type: str, ann_file: str, img: str, pipeline: list | None = None) -> dict:
    """One Hand5 set under data/."""
    return dict(type=dataset_type, data_root='data/', data_mode='topdown', ann_file=ann_file, data_prefix=dict(img=img),
                pipeline=pipeline or [])


rhd_converter = [dict(type='KeypointConverter', num_keypoints=21, mapping=rhd_to_coco_hand)]
hand5_train_datasets = [
    hand_set('CocoWholeBodyHandDataset', 'coco/annotations/coco_wholebody_train_v1.0.json',
             'detection/coco/train2017/'),
    hand_set('OneHand10KDataset', 'onehand10k/annotations/onehand10k_train.json', 'pose/OneHand10K/'),
    hand_set('FreiHandDataset', 'freihand/annotations/freihand_train.json', 'pose/FreiHand/'),
    hand_set('Rhd2DDataset', 'rhd/annotations/rhd_train.json', 'pose/RHD/', rhd_converter),
    hand_set('HalpeHandDataset', 'halpe/annotations/halpe_train_v1.json',
             'pose/Halpe/hico_20160224_det/images/train2015/'),
]
hand5_test_datasets = [
    hand_set('CocoWholeBodyHandDataset', 'coco/annotations/coco_wholebody_val_v1.0.json', 'detection/coco/val2017/'),
    hand_set('OneHand10KDataset', 'onehand10k/annotations/onehand10k_test.json', 'pose/OneHand10K/'),
    hand_set('FreiHandDataset', 'freihand/annotations/freihand_test.json', 'pose/FreiHand/'),
    hand_set('Rhd2DDataset', 'rhd/annotations/rhd_test.json', 'pose/RHD/', rhd_converter),
    hand_set('HalpeHandDataset', 'halpe/annotations/halpe_val_v1.json', 'detection/coco/val2017/'),
]

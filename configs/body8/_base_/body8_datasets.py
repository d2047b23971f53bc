# The Body8 sets, each set's keypoints mapped by a KeypointConverter onto Halpe's 26 keypoints (COCO-17, head top,
# neck, hip centre and feet) or onto COCO-17, in OpenMMLab's data layout under data/ (as MMPose's Body8 configs).
# Training combines 7 sets, testing 8 (OCHuman added). The rtmpose-*_body8-halpe26*.py configs take
# body8_halpe26_{train,val}_datasets into a CombinedDataset with halpe26 metainfo, the rtmpose-*_body8*.py COCO-17
# ones body8_coco_{train,test}_datasets with coco metainfo.
coco_halpe26 = [(i, i) for i in range(17)] + [(17, 20), (18, 22), (19, 24), (20, 21), (21, 23), (22, 25)]
aic_halpe26 = [(0, 6), (1, 8), (2, 10), (3, 5), (4, 7), (5, 9), (6, 12), (7, 14), (8, 16), (9, 11), (10, 13), (11, 15),
               (12, 17), (13, 18)]
crowdpose_halpe26 = [(0, 5), (1, 6), (2, 7), (3, 8), (4, 9), (5, 10), (6, 11), (7, 12), (8, 13), (9, 14), (10, 15),
                     (11, 16), (12, 17), (13, 18)]
mpii_halpe26 = [(0, 16), (1, 14), (2, 12), (3, 11), (4, 13), (5, 15), (8, 18), (9, 17), (10, 10), (11, 8), (12, 6),
                (13, 5), (14, 7), (15, 9)]
jhmdb_halpe26 = [(0, 18), (2, 17), (3, 6), (4, 5), (5, 12), (6, 11), (7, 8), (8, 7), (9, 14), (10, 13), (11, 10),
                 (12, 9), (13, 16), (14, 15)]
halpe_halpe26 = [(i, i) for i in range(26)]
ochuman_halpe26 = [(i, i) for i in range(17)]
posetrack_halpe26 = [(0, 0), (2, 17)] + [(i, i) for i in range(3, 17)]


def member(dataset_type: str, ann_file: str, img: str, mapping: list | None, num_keypoints: int = 26) -> dict:
    """One Body8 set under data/, its keypoints mapped onto ``num_keypoints`` (none: already COCO-17)."""
    converter = [dict(type='KeypointConverter', num_keypoints=num_keypoints, mapping=mapping)] if mapping else []
    return dict(type=dataset_type, data_root='data/', data_mode='topdown', ann_file=ann_file, data_prefix=dict(img=img),
                pipeline=converter)


aic_images = 'pose/ai_challenge/ai_challenger_keypoint'
body8_halpe26_train_datasets = [
    member('CocoWholeBodyDataset', 'coco/annotations/coco_wholebody_train_v1.0.json', 'detection/coco/train2017/',
           coco_halpe26),
    member('AicDataset', 'aic/annotations/aic_train.json',
           f'{aic_images}_train_20170902/keypoint_train_images_20170902/', aic_halpe26),
    member('CrowdPoseDataset', 'crowdpose/annotations/mmpose_crowdpose_trainval.json', 'pose/CrowdPose/images/',
           crowdpose_halpe26),
    member('MpiiDataset', 'mpii/annotations/mpii_train.json', 'pose/MPI/images/', mpii_halpe26),
    member('JhmdbDataset', 'jhmdb/annotations/Sub1_train.json', 'pose/JHMDB/', jhmdb_halpe26),
    member('HalpeDataset', 'halpe/annotations/halpe_train_v1.json', 'pose/Halpe/hico_20160224_det/images/train2015',
           halpe_halpe26),
    member('PoseTrack18Dataset', 'posetrack18/annotations/posetrack18_train.json', 'pose/PoseChallenge2018/',
           posetrack_halpe26),
]
body8_halpe26_val_datasets = [
    member('CocoWholeBodyDataset', 'coco/annotations/coco_wholebody_val_v1.0.json', 'detection/coco/val2017/',
           coco_halpe26),
    member('AicDataset', 'aic/annotations/aic_val.json',
           f'{aic_images}_validation_20170911/keypoint_validation_images_20170911/', aic_halpe26),
    member('CrowdPoseDataset', 'crowdpose/annotations/mmpose_crowdpose_test.json', 'pose/CrowdPose/images/',
           crowdpose_halpe26),
    member('MpiiDataset', 'mpii/annotations/mpii_val.json', 'pose/MPI/images/', mpii_halpe26),
    member('JhmdbDataset', 'jhmdb/annotations/Sub1_test.json', 'pose/JHMDB/', jhmdb_halpe26),
    member('HalpeDataset', 'halpe/annotations/halpe_val_v1.json', 'detection/coco/val2017/', halpe_halpe26),
    member('OCHumanDataset', 'ochuman/annotations/ochuman_coco_format_val_range_0.00_1.00.json', 'pose/OCHuman/images/',
           ochuman_halpe26),
    member('PoseTrack18Dataset', 'posetrack18/annotations/posetrack18_val.json', 'pose/PoseChallenge2018/',
           posetrack_halpe26),
]

# COCO-17 targets: the Halpe26 mappings without the points COCO lacks (head top, neck, hip centre, feet)
aic_coco, crowdpose_coco, mpii_coco, jhmdb_coco, posetrack_coco = (
    [(s, t) for s, t in mapping if t < 17]
    for mapping in (aic_halpe26, crowdpose_halpe26, mpii_halpe26, jhmdb_halpe26, posetrack_halpe26))
coco17 = [(i, i) for i in range(17)]
body8_coco_train_datasets = [
    member('CocoDataset', 'coco/annotations/person_keypoints_train2017.json', 'detection/coco/train2017/', None),
    *[dict(m, pipeline=[dict(m['pipeline'][0], num_keypoints=17, mapping=mapping)])
      for m, mapping in zip(body8_halpe26_train_datasets[1:],
                            [aic_coco, crowdpose_coco, mpii_coco, jhmdb_coco, coco17, posetrack_coco])],
]
body8_coco_test_datasets = [
    member('CocoDataset', 'coco/annotations/person_keypoints_val2017.json', 'detection/coco/val2017/', None),
    *[dict(m, pipeline=[dict(m['pipeline'][0], num_keypoints=17, mapping=mapping)])
      for m, mapping in zip(body8_halpe26_val_datasets[1:],
                            [aic_coco, crowdpose_coco, mpii_coco, jhmdb_coco, coco17, coco17, posetrack_coco])],
]

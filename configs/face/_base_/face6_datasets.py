# The Face6 sets (LaPa, COCO-WholeBody-Face, WFLW, 300W, COFW, Halpe's face), each set's landmarks mapped onto LaPa's
# 106 points by a KeypointConverter (a pair of source points averaged where LaPa has a point between two of theirs), in
# OpenMMLab's data layout under data/ (as MMPose's Face6 configs). The rtmpose-*_face6.py configs combine
# face6_train_datasets for training and face6_test_datasets for testing, with LaPa's metainfo.
kpt_68_to_106 = [(0, 0), (1, 2), (2, 4), (3, 6), (4, 8), (5, 10), (6, 12), (7, 14), (8, 16), (9, 18), (10, 20),
                 (11, 22), (12, 24), (13, 26), (14, 28), (15, 30), (16, 32), (17, 33), (18, 34), (19, 35), (20, 36),
                 (21, 37), (22, 42), (23, 43), (24, 44), (25, 45), (26, 46), (27, 51), (28, 52), (29, 53), (30, 54),
                 (31, 58), (32, 59), (33, 60), (34, 61), (35, 62), (36, 66), (39, 70), ((37, 38), 68), ((40, 41), 72),
                 (42, 75), (45, 79), ((43, 44), 77), ((46, 47), 81), (48, 84), (49, 85), (50, 86), (51, 87), (52, 88),
                 (53, 89), (54, 90), (55, 91), (56, 92), (57, 93), (58, 94), (59, 95), (60, 96), (61, 97), (62, 98),
                 (63, 99), (64, 100), (65, 101), (66, 102), (67, 103)]
mapping_cofw = [(0, 33), (2, 38), (4, 35), (5, 40), (1, 46), (3, 50), (6, 44), (7, 48), (8, 60), (10, 64), (12, 62),
                (13, 66), (9, 72), (11, 68), (14, 70), (15, 74), (18, 57), (19, 63), (20, 54), (21, 60), (22, 84),
                (23, 90), (24, 87), (25, 98), (26, 102), (27, 93), (28, 16)]
mapping_halpe = [(26, 0), (27, 2), (28, 4), (29, 6), (30, 8), (31, 10), (32, 12), (33, 14), (34, 16), (35, 18),
                 (36, 20), (37, 22), (38, 24), (39, 26), (40, 28), (41, 30), (42, 32), (43, 33), (44, 34), (45, 35),
                 (46, 36), (47, 37), (48, 42), (49, 43), (50, 44), (51, 45), (52, 46), (53, 51), (54, 52), (55, 53),
                 (56, 54), (57, 58), (58, 59), (59, 60), (60, 61), (61, 62), (62, 66), (65, 70), ((63, 64), 68),
                 ((66, 67), 72), (68, 75), (71, 79), ((69, 70), 77), ((72, 73), 81), (74, 84), (75, 85), (76, 86),
                 (77, 87), (78, 88), (79, 89), (80, 90), (81, 91), (82, 92), (83, 93), (84, 94), (85, 95), (86, 96),
                 (87, 97), (88, 98), (89, 99), (90, 100), (91, 101), (92, 102), (93, 103)]
mapping_wflw = [(i, i) for i in range(55)] + list(
    zip(range(55, 98), [*range(58, 63), *range(66, 74), *range(75, 83), *range(84, 106)]))


def face_set(dataset_type: str, ann_file: str, img: str, mapping: list | None) -> dict:
    """One Face6 set under data/, its landmarks mapped onto LaPa's 106 (none: already LaPa)."""
    converter = [dict(type='KeypointConverter', num_keypoints=106, mapping=mapping)] if mapping else []
    return dict(type=dataset_type, data_root='data/', data_mode='topdown', ann_file=ann_file, data_prefix=dict(img=img),
                pipeline=converter)


face6_train_datasets = [
    face_set('LapaDataset', 'LaPa/annotations/lapa_trainval.json', 'pose/LaPa/', None),
    face_set('CocoWholeBodyFaceDataset', 'coco/annotations/coco_wholebody_train_v1.0.json', 'detection/coco/train2017/',
             kpt_68_to_106),
    face_set('WFLWDataset', 'wflw/annotations/face_landmarks_wflw_train.json', 'pose/WFLW/images/', mapping_wflw),
    face_set('Face300WDataset', '300w/annotations/face_landmarks_300w_train.json', 'pose/300w/images/', kpt_68_to_106),
    face_set('COFWDataset', 'cofw/annotations/cofw_train.json', 'pose/COFW/images/', mapping_cofw),
    face_set('HalpeDataset', 'halpe/annotations/halpe_train_133kpt.json',
             'pose/Halpe/hico_20160224_det/images/train2015/', mapping_halpe),
]
face6_test_datasets = [
    face_set('LapaDataset', 'LaPa/annotations/lapa_test.json', 'pose/LaPa/', None),
    face_set('CocoWholeBodyFaceDataset', 'coco/annotations/coco_wholebody_val_v1.0.json', 'detection/coco/val2017/',
             kpt_68_to_106),
    face_set('WFLWDataset', 'wflw/annotations/face_landmarks_wflw_test.json', 'pose/WFLW/images/', mapping_wflw),
    face_set('Face300WDataset', '300w/annotations/face_landmarks_300w_test.json', 'pose/300w/images/', kpt_68_to_106),
    face_set('COFWDataset', 'cofw/annotations/cofw_test.json', 'pose/COFW/images/', mapping_cofw),
    face_set('HalpeDataset', 'halpe/annotations/halpe_val_v1.json', 'detection/coco/val2017/', mapping_halpe),
]

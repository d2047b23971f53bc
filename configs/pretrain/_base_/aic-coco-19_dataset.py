# The training set of the AIC+COCO UDP pretraining: COCO train2017 repeated 3 times plus AI Challenger, both mapped
# onto 19 keypoints (COCO-17, then AI Challenger's head top and neck), labelled with MMPose's coco_aic metainfo.
# Layout as for our AIC+COCO RTMPose configs: data/coco/{annotations,train2017}, data/aic/{annotations,images}.
aic_coco_19_train_dataset = dict(
    type='CombinedDataset',
    metainfo=dict(from_file='configs/_base_/datasets/coco_aic.py'),
    datasets=[
        dict(
            type='RepeatDataset',
            times=3,
            dataset=dict(
                type='CocoDataset',
                data_root='data/coco/',
                data_mode='topdown',
                ann_file='annotations/person_keypoints_train2017.json',
                data_prefix=dict(img='train2017/'),
                pipeline=[dict(type='KeypointConverter', num_keypoints=19, mapping=[(i, i) for i in range(17)])])),
        dict(
            type='AicDataset',
            data_root='data/aic/',
            data_mode='topdown',
            ann_file='annotations/aic_train.json',
            data_prefix=dict(img='ai_challenger_keypoint_train_20170902/keypoint_train_images_20170902/'),
            pipeline=[
                dict(
                    type='KeypointConverter',
                    num_keypoints=19,
                    mapping=[(0, 6), (1, 8), (2, 10), (3, 5), (4, 7), (5, 9), (6, 12), (7, 14), (8, 16), (9, 11),
                             (10, 13), (11, 15), (12, 17), (13, 18)])
            ]),
    ],
    test_mode=False)

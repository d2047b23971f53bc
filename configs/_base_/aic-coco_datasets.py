# The training set of the AIC+COCO models: COCO train2017 repeated 3 times plus AI Challenger with its 14 keypoints
# mapped onto the COCO-17 order, labelled with COCO's metainfo. Layout: data/coco/{annotations,train2017,val2017},
# data/aic/{annotations,images}. The rtmpose-*_aic-coco*.py configs put it in place of COCO train2017 with their own
# train pipeline:
#   train_dataloader = dict(dataset=dict(_base_.aic_coco_train_dataset, _delete_=True, pipeline=_base_.train_pipeline))
aic_coco_train_dataset = dict(
    type='CombinedDataset',
    metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
    datasets=[
        dict(
            type='RepeatDataset',
            times=3,
            dataset=dict(
                type='CocoDataset',
                data_root='{{$COCO_ROOT:data/coco/}}',
                data_mode='topdown',
                ann_file='annotations/person_keypoints_train2017.json',
                data_prefix=dict(img='train2017/'),
                pipeline=[])),
        dict(
            type='AicDataset',
            data_root='{{$AIC_ROOT:data/aic/}}',
            data_mode='topdown',
            ann_file='annotations/aic_train.json',
            data_prefix=dict(img='ai_challenger_keypoint_train_20170902/keypoint_train_images_20170902/'),
            pipeline=[
                dict(
                    type='KeypointConverter',
                    num_keypoints=17,
                    mapping=[(0, 6), (1, 8), (2, 10), (3, 5), (4, 7), (5, 9), (6, 12), (7, 14), (8, 16), (9, 11),
                             (10, 13), (11, 15)])
            ]),
    ],
    test_mode=False)

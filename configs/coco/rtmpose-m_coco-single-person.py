# RTMPose-m on COCO-SinglePerson (the paper's single-person benchmark, Table 6): the images of COCO val2017 that show
# one person, written by tools/make_coco_single_person.py, tested without flip test. Test only (mim test with the
# checkpoint of rtmpose-m_coco.py or rtmpose-m_aic-coco.py: the same model). Ground-truth person boxes by default;
# the paper's RTMDet-nano boxes come from tools/pipeline_ap.py --det (its bbox_file) and go in with
# --cfg-options test_dataloader.dataset.bbox_file=FILE.
_base_ = ['../rtmpose-m_coco.py']

model = dict(test_cfg=dict(flip_test=False))
test_dataloader = dict(
    dataset=dict(ann_file='annotations/person_keypoints_val2017_single_person.json', bbox_file=None))
test_evaluator = dict(ann_file='data/coco/annotations/person_keypoints_val2017_single_person.json')

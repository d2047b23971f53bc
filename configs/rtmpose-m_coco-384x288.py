# RTMPose-m, COCO, 384x288: the 256x192 recipe with a larger input, its label sigma and 9x12 final feature map.
_base_ = ['./rtmpose-m_coco.py']

input_size = (288, 384)
codec = dict(_base_.codec, input_size=input_size, sigma=(6., 6.93))
model = dict(head=dict(input_size=input_size, in_featuremap_size=(9, 12), decoder=codec))

# the pipelines carry the input size (TopdownAffine) and the codec (GenerateTarget)
train_pipeline, train_pipeline_stage2, val_pipeline = ([
    dict(t, input_size=input_size) if t['type'] == 'TopdownAffine' else
    dict(t, encoder=codec) if t['type'] == 'GenerateTarget' else t for t in pipeline
] for pipeline in (_base_.train_pipeline, _base_.train_pipeline_stage2, _base_.val_pipeline))
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
custom_hooks = [
    dict(h, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in h else h for h in _base_.custom_hooks
]

# RTMPose on COCO at 384x288: the 256x192 recipe with a larger input, the label sigma scaled with it and the 9x12
# stride-32 feature map it gives. Size-neutral like the 256x192 base: the rtmpose-{m,l}_*-384x288.py configs state
# their size.
_base_ = ['./rtmpose_coco.py']

input_size = (288, 384)
codec = dict(_base_.codec, input_size=input_size, sigma=(6., 6.93))
model = dict(
    head=dict(input_size=input_size, in_featuremap_size=tuple(s // 32 for s in input_size), decoder=codec))


def at_input_size(pipeline: list[dict]) -> list[dict]:
    """``pipeline`` cropping to ``input_size`` (``TopdownAffine``) and encoding targets with ``codec``
    (``GenerateTarget``); the other transforms as they are."""
    changes = dict(TopdownAffine=dict(input_size=input_size), GenerateTarget=dict(encoder=codec))
    return [dict(t, **changes.get(t['type'], {})) for t in pipeline]


train_pipeline = at_input_size(_base_.train_pipeline)
train_pipeline_stage2 = at_input_size(_base_.train_pipeline_stage2)
val_pipeline = at_input_size(_base_.val_pipeline)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
custom_hooks = [
    dict(hook, switch_pipeline=train_pipeline_stage2) if 'switch_pipeline' in hook else hook
    for hook in _base_.custom_hooks
]

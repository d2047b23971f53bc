"""Keep the model's 4-D weights (and so its convolution activations) in channels-last memory format."""
import logging

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from ...registry import HOOKS


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Convert the model to ``torch.channels_last`` before training or testing starts.

    A convolution whose weight is channels-last (NHWC) writes a channels-last output, so one conversion of the
    parameters makes every convolution of the network run on NHWC tensors, the layout oneDNN (CPU) and cuDNN's
    tensor-core kernels compute fastest; the input images (NCHW from the data preprocessor) need no conversion, the
    first convolution's output already is NHWC. Values are unchanged, only their order in memory: outputs and
    gradients equal the default layout's within floating-point rounding, and checkpoints load into a model in
    either layout (``load_state_dict`` copies values). The conversion keeps each ``nn.Parameter`` object (only its
    data is replaced), so an optimizer built before it still holds the same parameters; its state is created on
    the first step, in the new layout.

    A model already wrapped for distributed training (mmengine wraps it before any hook runs) keeps the default
    layout, and the hook says so: DDP has laid out its gradient buckets for the parameters as they were, and until
    it rebuilds them it hands back default-layout gradients for channels-last weights, which the fused CPU AdamW
    kernel (torch 2.x) applies to the wrong elements.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner: Runner) -> None:
        if is_model_wrapper(runner.model):
            print_log(f'ChannelsLastHook: the model is already wrapped in {type(runner.model).__name__}, whose '
                      'gradient buckets follow the default memory layout; it stays in that layout',
                      logger='current', level=logging.WARNING)
            return
        runner.model.to(memory_format=torch.channels_last)

"""The ``rtmpose`` scope builds our four modules and falls through to MMPose / mmdet for everything else."""
import subprocess
import sys

import mmpose.codecs
import mmpose.models
import pytest
from mmpose import registry as mmpose_registry

import rtmpose
from rtmpose.testing.reference import build

HEAD = dict(type='RTMCCHead', in_channels=64, out_channels=17, input_size=(192, 256), in_featuremap_size=(6, 8),
            gau_cfg=dict(hidden_dims=32, s=16, expansion_factor=2, dropout_rate=0., drop_path=0., act_fn='SiLU',
                         use_rel_bias=False, pos_enc=False))


@pytest.mark.parametrize('registry, cfg, ours', [
    ('MODELS', HEAD, 'rtmpose.models.heads.rtmcc_head'),
    ('MODELS', dict(type='RTMCCBlock', num_token=17, in_token_dims=32, out_token_dims=32),
     'rtmpose.models.layers.rtmcc_block'),
    ('MODELS', dict(type='KLDiscretLoss'), 'rtmpose.models.losses.kl_discret_loss'),
    ('KEYPOINT_CODECS', dict(type='SimCCLabel', input_size=(192, 256)), 'rtmpose.codecs.simcc_label'),
])
def test_our_modules_in_rtmpose_scope_mmposes_in_mmpose_scope(registry, cfg, ours):
    registry = getattr(mmpose_registry, registry)
    assert type(build(registry, cfg, 'rtmpose')).__module__ == ours
    if cfg['type'] == 'RTMCCBlock':  # MMPose does not register its block
        return
    assert type(build(registry, cfg, 'mmpose')).__module__.startswith('mmpose.')


@pytest.mark.parametrize('registry, name, owner', [
    ('MODELS', 'TopdownPoseEstimator', 'mmpose'),
    ('MODELS', 'mmdet.CSPNeXt', 'mmdet'),
    ('DATASETS', 'HumanArtDataset', 'mmpose'),
    ('TRANSFORMS', 'TopdownAffine', 'mmpose'),
    ('TRANSFORMS', 'mmdet.YOLOXHSVRandomAug', 'mmdet'),
    ('METRICS', 'PCKAccuracy', 'mmpose'),
    ('VISUALIZERS', 'PoseLocalVisualizer', 'mmpose'),
    ('HOOKS', 'mmdet.PipelineSwitchHook', 'mmdet'),
    ('HOOKS', 'EMAHook', 'mmengine'),
])
def test_everything_else_falls_through(registry, name, owner):
    reg = getattr(rtmpose.registry, registry)
    assert reg.scope == 'rtmpose' and reg.parent is getattr(mmpose_registry, registry)
    assert reg.get(name).__module__.startswith(owner + '.')


def test_mmpose_registries_are_untouched():
    assert mmpose_registry.MODELS.get('RTMCCHead') is mmpose.models.RTMCCHead
    assert mmpose_registry.MODELS.get('KLDiscretLoss') is mmpose.models.KLDiscretLoss
    assert mmpose_registry.KEYPOINT_CODECS.get('SimCCLabel') is mmpose.codecs.SimCCLabel


@pytest.mark.parametrize('module', ['rtmpose', 'rtmpose.inference'])
def test_import_is_light(module):
    """No GPU, data or network needed, and no torch / OpenMMLab / deployment import (the ONNX path runs without)."""
    heavy = ['torch', 'mmengine', 'mmcv', 'mmdet', 'mmpose', 'mmdeploy']
    code = (f'import sys, {module}; loaded = [m for m in {heavy!r} if m in sys.modules]; '
            'assert not loaded, loaded; print(rtmpose.__version__)')
    out = subprocess.run([sys.executable, '-c', code], env={'CUDA_VISIBLE_DEVICES': '', 'PATH': '/usr/bin:/bin'},
                         capture_output=True, text=True, cwd='/', timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == rtmpose.__version__


@pytest.mark.parametrize('registry, name, base', [
    ('DATASETS', 'CocoDataset', 'mmpose.datasets.CocoDataset'),
    ('DATASETS', 'AicDataset', 'mmpose.datasets.AicDataset'),
    ('METRICS', 'CocoMetric', 'mmpose.evaluation.CocoMetric'),
])
def test_checked_subclasses_shadow_mmpose_names_in_our_scope_only(registry, name, base):
    import importlib
    module, cls = base.rsplit('.', 1)
    mmpose_cls = getattr(importlib.import_module(module), cls)
    ours = getattr(rtmpose.registry, registry).get(name)
    assert ours.__module__.startswith('rtmpose.') and issubclass(ours, mmpose_cls)
    assert getattr(mmpose_registry, registry).get(name) is mmpose_cls


def test_registry_import_and_scope_leave_mmengines_checkpoint_loaders_alone():
    """``import rtmpose.registry`` defines registries and nothing else; resolving the scope (building a hook, whose
    lookup imports rtmpose.engine) does not touch mmengine's checkpoint loaders either."""
    code = '''
import sys
from mmengine.registry import HOOKS, DefaultScope
from mmengine.runner.checkpoint import CheckpointLoader
before = list(CheckpointLoader._schemes.items())
import rtmpose.registry
loaded = sorted(m for m in sys.modules if m.startswith('rtmpose'))
assert loaded == ['rtmpose', 'rtmpose.registry'], loaded
with DefaultScope.overwrite_default_scope('rtmpose'):
    HOOKS.build(dict(type='CheckpointCheckHook'))
assert 'rtmpose.engine' in sys.modules
assert list(CheckpointLoader._schemes.items()) == before
assert all(f.__module__ == 'mmengine.runner.checkpoint' for f in CheckpointLoader._schemes.values())
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]

"""Session fixtures for the deployment tests: real crops, peaked checkpoints and converted models (cached).

Random weights give nearly flat SimCC vectors, whose argmax is decided by ~1e-6 differences between far-apart
bins; keypoint errors between runtimes would then measure noise, not the conversion. Every model here is therefore
built from our config with a fixed seed (backbone init_cfg removed: no download) and its head is fitted on the
real crops for 200 Adam steps (:func:`rtmpose.testing.head_fit.fit_head`), which gives one smooth peak per keypoint
like a trained model's; the checkpoint is saved and deployed like any other.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from tests.conftest import require_shared
from tests.paths import CONFIGS, REPO_ROOT

DEPLOY_CONFIGS = REPO_ROOT / 'deploy_configs'
FIT_STEPS = 200
#: Makes ``import mmdeploy`` (and its submodules) fail, as in an environment without it.
BLOCK_MMDEPLOY = textwrap.dedent('''
    import importlib.abc
    import sys

    class BlockMMDeploy(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == 'mmdeploy' or name.startswith('mmdeploy.'):
                raise ImportError(f'{name} is blocked by the test')
            return None

    sys.meta_path.insert(0, BlockMMDeploy())
''')


def pose_config(name: str) -> Path:
    return DEPLOY_CONFIGS / 'pose' / f'pose-detection_{name}-256x192.py'


def run_without_mmdeploy(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (in the repository root) where ``import mmdeploy`` fails."""
    return subprocess.run([sys.executable, '-c', BLOCK_MMDEPLOY + textwrap.dedent(code)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope='session')
def coco_dir(shared_dir: Path) -> Path:
    return require_shared(shared_dir, 'data/coco/test_coco.json').parent


@pytest.fixture(scope='session')
def image(coco_dir: Path) -> str:
    return str(coco_dir / '000000000785.jpg')


@pytest.fixture(scope='session')
def crops(coco_dir: Path):
    from rtmpose.testing.coco_crops import load_person_crops
    return load_person_crops(coco_dir)


@pytest.fixture(scope='session')
def deploy_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp('deploy')


@pytest.fixture(scope='session')
def peaked_models(crops, deploy_root: Path):
    """``get(arch) -> (checkpoint path, PyTorch model)`` with a peaked head, built once per arch."""
    from rtmpose.testing.head_fit import peaked_checkpoint

    cache: dict[str, tuple[Path, torch.nn.Module]] = {}

    def get(arch: str) -> tuple[Path, torch.nn.Module]:
        if arch not in cache:
            path = deploy_root / f'rtmpose-{arch}-peaked.pth'
            model = peaked_checkpoint(Config.fromfile(CONFIGS / f'rtmpose-{arch}_coco.py'), crops.inputs,
                                      crops.keypoints, path, seed=0, steps=FIT_STEPS)
            cache[arch] = (path, model)
        return cache[arch]

    return get


@pytest.fixture(scope='session')
def converted(peaked_models, image: str, deploy_root: Path):
    """``get(arch, config_name, scope='rtmpose') -> Artifacts``: ``tools/deploy.py``'s pipeline, run once per key.

    ``scope='mmpose'`` converts MMPose's reference classes built from the same config and checkpoint (MMDeploy's own
    rewriters for them).
    """
    from rtmpose.deploy.pipeline import deploy

    cache = {}

    def get(arch: str, name: str, scope: str = 'rtmpose'):
        key = (arch, name, scope)
        if key not in cache:
            checkpoint, _ = peaked_models(arch)
            cache[key] = deploy(str(pose_config(name)), str(CONFIGS / f'rtmpose-{arch}_coco.py'), str(checkpoint),
                                image, deploy_root / f'{arch}-{name}-{scope}', dump_info=True, scope=scope)
        return cache[key]

    return get


@pytest.fixture(scope='package', autouse=True)
def one_torch_thread():
    """Tracing and the small models here run fastest on one thread, and far faster than two on a loaded CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)

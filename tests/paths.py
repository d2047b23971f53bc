"""Locations of the repository, its configs and the real data in ``../shared``, and loading its scripts."""
import importlib.util
import os
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIGS = REPO_ROOT / 'configs'
SHARED = Path(os.environ.get('RTMPOSE_SHARED', REPO_ROOT.parent / 'shared'))


def load_script(path: Path) -> ModuleType:
    """Import a command-line script (``tools/*.py``, ``demo/*.py``) as a module, to call its ``main`` in process."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

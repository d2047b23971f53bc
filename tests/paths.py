"""Locations of the repository, its configs and the real data in ``../shared``."""
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIGS = REPO_ROOT / 'configs'
SHARED = Path(os.environ.get('RTMPOSE_SHARED', REPO_ROOT.parent / 'shared'))

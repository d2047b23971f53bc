"""Shared test fixtures."""
from pathlib import Path

import pytest

from tests.paths import SHARED


@pytest.fixture(scope='session')
def shared_dir() -> Path:
    """The real-data folder ``../shared`` (or ``$RTMPOSE_SHARED``); tests using it skip when it is absent."""
    if not (SHARED / 'README.md').is_file():
        pytest.skip(f'real data folder not found at {SHARED} (set RTMPOSE_SHARED to use another location)')
    return SHARED


def require_shared(shared_dir: Path, relative: str) -> Path:
    """``shared_dir / relative``, skipping the test with a reason when that file or folder is absent."""
    path = shared_dir / relative
    if not path.exists():
        pytest.skip(f'{relative} not found under {shared_dir}')
    return path

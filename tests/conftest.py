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

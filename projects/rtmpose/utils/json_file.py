"""Reading a JSON file the user named, with errors that say which file and what it should have been (json only)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json(path: str | Path, what: str = 'JSON file') -> Any:
    """The parsed JSON of ``path``.

    Raises:
        FileNotFoundError: ``path`` does not exist (the message names it and ``what`` it should be).
        ValueError: ``path`` cannot be read or is not valid JSON (the message names it).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f'{what} not found: {path}')
    try:
        return json.loads(path.read_text())
    except OSError as err:
        raise ValueError(f'cannot read {what} {path}: {err.strerror}') from err
    except ValueError as err:  # JSONDecodeError and undecodable bytes
        raise ValueError(f'{what} {path} is not valid JSON: {err}') from err

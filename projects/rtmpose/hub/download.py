"""Downloading model files like a good package does: a cache folder, a progress bar, resume after a cut, a clean
retry after a bad file, an atomic move into place and a SHA-256 check.

OpenMMLab checkpoint names carry the first hex digits of their SHA-256 (``...-63eb25f7_20230126.pth``, as
``torch.hub`` names them); a ``.pth`` is checked against them. (The MMDeploy SDK zips are named after their
checkpoint, so their digits are not theirs: a zip is checked by unpacking it.) A full ``sha256`` can be given for
any file.

The cache is ``$RTMPOSE_CACHE`` or ``~/.cache/rtmpose``. Without internet, the error names the URL and the path to
put the file at by hand; a file already there is used as it is.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from tqdm import tqdm

#: ``-<hex digits>[_<date>].pth`` at the end of an OpenMMLab checkpoint name.
HASH_IN_NAME = re.compile(r'-([0-9a-f]{6,64})(?:_\d{8})?\.pth$')
_CHUNK = 1 << 16


class DownloadError(OSError):
    """A file could not be downloaded or did not verify; the message names the URL and where to put the file."""


def cache_dir() -> Path:
    """The cache folder: ``$RTMPOSE_CACHE``, else ``~/.cache/rtmpose``."""
    return Path(os.environ.get('RTMPOSE_CACHE') or Path.home() / '.cache' / 'rtmpose').expanduser()


def expected_hash(url: str, sha256: str | None = None) -> str | None:
    """The SHA-256 (or its prefix) a file must have: ``sha256``, else the digits in an OpenMMLab ``.pth`` name."""
    if sha256:
        return sha256.lower()
    match = HASH_IN_NAME.search(urlparse(url).path)
    return match.group(1) if match else None


def download(url: str, folder: str | Path | None = None, sha256: str | None = None, progress: bool = True,
             timeout: float = 30.0, retries: int = 2) -> Path:
    """The file at ``url`` in ``folder`` (default :func:`cache_dir`), downloaded unless it is there.

    The bytes go to ``<name>.part``; a transfer cut short (closed connection, stall longer than ``timeout``
    seconds) is resumed with an HTTP ``Range`` request (or restarted when the server does not resume), up to
    ``retries`` more times; a file whose hash does not match is deleted and downloaded once more from scratch. The
    finished file is moved into place atomically, so the target is either absent or complete.

    Raises:
        DownloadError: offline, HTTP error, or still incomplete / mismatched after the retries.
    """
    target = Path(folder if folder is not None else cache_dir()).expanduser() / Path(urlparse(url).path).name
    want = expected_hash(url, sha256)
    if target.is_file():
        return target  # a file put here by hand, or downloaded before (verified when it was moved into place)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + '.part')
    for _ in range(2):  # a file that does not match is downloaded once more from scratch
        _fetch(url, part, target, progress, timeout, retries)
        digest = _sha256(part)
        if want is None or digest.startswith(want):
            os.replace(part, target)
            return target
        part.unlink()
    raise DownloadError(f'{url}: SHA-256 {digest[:len(want)]}... does not match {want} (twice); the file on the '
                        f'server is not the expected one. Put a verified copy at {target}')


def _fetch(url: str, part: Path, target: Path, progress: bool, timeout: float, retries: int) -> None:
    """Download ``url`` into ``part`` completely, resuming a cut transfer up to ``retries`` times."""
    for attempt in range(retries + 1):
        try:
            if _transfer(url, part, progress, timeout):
                return
            why = 'the connection closed before the end of the file'
        except urllib.error.HTTPError as err:
            if err.code == 416:  # asked to resume past the end: start again
                part.unlink(missing_ok=True)
                why = 'the server refused to resume'
                continue
            raise DownloadError(_hint(url, target, f'HTTP {err.code} {err.reason}')) from err
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            why = str(getattr(err, 'reason', err)) or type(err).__name__
            if attempt == retries:
                raise DownloadError(_hint(url, target, why)) from err
        print(f'download of {url} interrupted ({why}); '
              + ('resuming' if attempt < retries else 'giving up'), file=sys.stderr)
    raise DownloadError(_hint(url, target, f'incomplete after {retries + 1} attempts ({why}); the partial '
                                           f'file {part} is kept and the next try resumes it'))


def _transfer(url: str, part: Path, progress: bool, timeout: float) -> bool:
    """One HTTP request appending to ``part`` (from its current size); ``True`` when the file is complete."""
    have = part.stat().st_size if part.is_file() else 0
    request = urllib.request.Request(url, headers={'User-Agent': 'rtmpose', **({'Range': f'bytes={have}-'}
                                                                              if have else {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if have and response.status != 206:  # the server sends the whole file: start again
            have = 0
        length = response.headers.get('Content-Length')
        total = have + int(length) if length is not None else None
        with part.open('ab' if have else 'wb') as f, tqdm(
                total=total, initial=have, unit='B', unit_scale=True, unit_divisor=1024, disable=not progress,
                desc=part.name[:-len('.part')], file=sys.stderr, leave=False) as bar:
            while chunk := response.read(_CHUNK):
                f.write(chunk)
                bar.update(len(chunk))
    size = part.stat().st_size
    return total is None or size >= total


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open('rb') as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _hint(url: str, target: Path, why: str) -> str:
    return (f'could not download {url} ({why}). Without internet access, download it elsewhere and put it at '
            f'{target} (the cache folder is $RTMPOSE_CACHE or ~/.cache/rtmpose), or pass a local model file or folder '
            f'instead of the name')

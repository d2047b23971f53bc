"""Downloading model files like a good package does: a cache folder, a progress bar, resume after a cut, a clean
retry after a bad file, an atomic move into place, a SHA-256 check on every use and one download of a file at a time.

OpenMMLab checkpoint names carry the first hex digits of their SHA-256 (``...-63eb25f7_20230126.pth``, as
``torch.hub`` names them); a ``.pth`` is checked against them, when it is downloaded and each time it is taken from
the cache (hashing takes a small fraction of the time of loading the checkpoint, so no record of earlier checks is
kept). A cached file that does not match (cut, damaged) is downloaded again. (The MMDeploy SDK
zips are named after their checkpoint, so their digits are not theirs: a zip is checked by unpacking it.) A full
``sha256`` can be given for any file.

Processes that fetch one name at once take turns on a lock file beside it (``.<name>.lock``, :func:`cache_lock`):
the second waits, then finds the first one's verified file. A ``.part`` left by a killed download is resumed by the
next one.

The cache is ``$RTMPOSE_CACHE`` or ``~/.cache/rtmpose``. Without internet, the error says at once that the host
cannot be reached, and names the URL and the path to put the file at by hand; a file already there is used as it is
(when it matches the hash in its name).
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import os
import re
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from filelock import FileLock, Timeout
from tqdm import tqdm

#: ``-<hex digits>[_<date>].pth`` at the end of an OpenMMLab checkpoint name.
HASH_IN_NAME = re.compile(r'-([0-9a-f]{6,64})(?:_\d{8})?\.pth$')
_CHUNK = 1 << 16
#: errors of a connection that cannot be made at all: retrying does not help
_UNREACHABLE = (errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH)


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


@contextlib.contextmanager
def cache_lock(path: Path) -> Iterator[None]:
    """Hold the lock of the cache entry ``path`` (the file ``.<name>.lock`` beside it; released when the process
    ends, however it ends), saying on stderr when another process holds it."""
    lock = FileLock(str(path.with_name(f'.{path.name}.lock')))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f'waiting for another process that is fetching {path}', file=sys.stderr)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def cached_path(url: str, folder: str | Path | None = None) -> Path:
    """Where :func:`download` keeps the file at ``url``: its file name in ``folder`` (default :func:`cache_dir`)."""
    return Path(folder if folder is not None else cache_dir()).expanduser() / Path(urlparse(url).path).name


def download(url: str, folder: str | Path | None = None, sha256: str | None = None, progress: bool = True,
             timeout: float = 30.0, retries: int = 2) -> Path:
    """The file at ``url`` in ``folder`` (default :func:`cache_dir`), downloaded unless it is there and verifies.

    The bytes go to ``<name>.part``; a transfer cut short (closed connection, stall longer than ``timeout``
    seconds) is resumed with an HTTP ``Range`` request (or restarted when the server does not resume), up to
    ``retries`` more times; a host that cannot be reached (name not resolved, connection refused) is an error at
    once. A file whose hash does not match is deleted and downloaded once more from scratch. The finished file is
    moved into place atomically, so the target is either absent or complete. One process at a time downloads a
    given file (:func:`cache_lock`).

    Raises:
        DownloadError: offline, HTTP error, or still incomplete / mismatched after the retries.
    """
    target = cached_path(url, folder)
    want = expected_hash(url, sha256)
    if target.is_file() and _mismatch(target, want) is None:
        return target  # a file put here by hand, or downloaded before
    target.parent.mkdir(parents=True, exist_ok=True)
    with cache_lock(target):
        damage = _mismatch(target, want) if target.is_file() else None
        if target.is_file() and damage is None:
            return target  # another process downloaded it meanwhile
        if damage is not None:
            print(f'{target} is damaged ({damage}): downloading it again', file=sys.stderr)
        try:
            _download_verified(url, target, want, progress, timeout, retries)
        except DownloadError as err:
            if damage is None:
                raise
            raise DownloadError(f'the cached {target} is damaged ({damage}), and {err}') from err
    return target


def _mismatch(path: Path, want: str | None) -> str | None:
    """Why ``path`` does not have the SHA-256 (prefix) ``want``, or ``None`` when it has (or nothing is expected)."""
    if want is None:
        return None
    digest = _sha256(path)
    return None if digest.startswith(want) else f'SHA-256 {digest[:len(want)]}... does not match {want}'


def _download_verified(url: str, target: Path, want: str | None, progress: bool, timeout: float,
                       retries: int) -> None:
    """Download ``url`` to ``target`` through ``<name>.part``, verified against ``want`` (the lock is held)."""
    part = target.with_name(target.name + '.part')
    for _ in range(2):  # a file that does not match is downloaded once more from scratch
        _fetch(url, part, target, progress, timeout, retries)
        problem = _mismatch(part, want)
        if problem is None:
            os.replace(part, target)
            return
        part.unlink()
    raise DownloadError(f'{url}: {problem} (twice); the file on the server is not the expected one. Put a verified '
                        f'copy at {target}')


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
            reason = getattr(err, 'reason', err)
            if _unreachable(reason):
                raise DownloadError(_hint(url, target, f'the host {urlparse(url).hostname} cannot be reached: '
                                                       f'{reason}')) from err
            why = str(reason) or type(err).__name__
            if attempt == retries:
                raise DownloadError(_hint(url, target, why)) from err
        print(f'download of {url} interrupted ({why}); '
              + ('resuming' if attempt < retries else 'giving up'), file=sys.stderr)
    raise DownloadError(_hint(url, target, f'incomplete after {retries + 1} attempts ({why}); the partial '
                                           f'file {part} is kept and the next try resumes it'))


def _unreachable(reason: object) -> bool:
    """``reason`` (of a failed request) says no connection can be made: an unknown host name, no route, refused."""
    return isinstance(reason, socket.gaierror) or (isinstance(reason, OSError) and reason.errno in _UNREACHABLE)


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

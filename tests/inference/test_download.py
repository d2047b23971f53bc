"""The download code against a real HTTP server on 127.0.0.1: a good file, a transfer cut in the middle (resumed),
a wrong hash (clean retry, then an error), 404, a stalling server, no server at all and a host name that does not
resolve, a damaged file in the cache, and two processes fetching one file at once, each through the same code path
as a real URL."""
import hashlib
import multiprocessing
import socket
import time

import pytest

from rtmpose.hub.download import DownloadError, cache_dir, download, expected_hash
from tests.inference.local_http import LocalServer

DATA = bytes(range(256)) * 4096  # 1 MiB
DIGEST = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


def _files(folder):
    """The files of ``folder`` but the lock files (``.<name>.lock``)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith('.lock'))


def test_good_file_moved_into_place_and_cached(server, tmp_path):
    name = f'rtmpose-x_simcc-{DIGEST[:8]}_20230126.pth'  # an OpenMMLab name: its hash digits are checked
    server.files[f'/m/{name}'] = DATA
    path = download(f'{server.url}/m/{name}', tmp_path, progress=False)
    assert path == tmp_path / name and path.read_bytes() == DATA and _files(tmp_path) == [name]
    assert download(f'{server.url}/m/{name}', tmp_path) == path and len(server.requests) == 1  # cached
    assert expected_hash(f'{server.url}/m/{name}') == DIGEST[:8]


def test_cut_transfer_is_resumed(server, tmp_path):
    server.files['/m/model.zip'] = DATA
    server.cut_once.add('/m/model.zip')
    path = download(f'{server.url}/m/model.zip', tmp_path, sha256=DIGEST, progress=False)
    assert path.read_bytes() == DATA and _files(tmp_path) == ['model.zip']
    assert server.requests == [('/m/model.zip', None), ('/m/model.zip', f'bytes={len(DATA) // 2}-')]


def test_wrong_hash_is_retried_clean_then_an_error(server, tmp_path):
    name = 'rtmpose-x_simcc-deadbeef_20230126.pth'
    server.files[f'/m/{name}'] = DATA
    with pytest.raises(DownloadError, match=r'does not match deadbeef \(twice\).*Put a verified copy at'):
        download(f'{server.url}/m/{name}', tmp_path, progress=False)
    assert _files(tmp_path) == [] and [r[1] for r in server.requests] == [None, None]  # from scratch both times


def test_404_names_the_url_and_where_to_put_the_file(server, tmp_path):
    url = f'{server.url}/m/missing.zip'
    with pytest.raises(DownloadError) as info:
        download(url, tmp_path, progress=False)
    message = str(info.value)
    assert 'HTTP 404' in message and url in message and str(tmp_path / 'missing.zip') in message
    assert len(server.requests) == 1 and _files(tmp_path) == []


def test_stalling_server_times_out(server, tmp_path):
    server.files['/m/stall.zip'] = DATA
    server.stall.add('/m/stall.zip')
    tic = time.perf_counter()
    with pytest.raises(DownloadError, match='could not download .*stall.zip'):
        download(f'{server.url}/m/stall.zip', tmp_path, progress=False, timeout=0.3, retries=1)
    assert time.perf_counter() - tic < 2.5 and len(server.requests) == 2


def test_offline_and_a_file_put_by_hand(tmp_path, monkeypatch):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(('127.0.0.1', 0))
        url = f'http://127.0.0.1:{sock.getsockname()[1]}/m/model.zip'
    monkeypatch.setenv('RTMPOSE_CACHE', str(tmp_path / 'cache'))
    assert cache_dir() == tmp_path / 'cache'
    with pytest.raises(DownloadError) as info:
        download(url, progress=False, retries=0)
    assert url in str(info.value) and str(tmp_path / 'cache' / 'model.zip') in str(info.value)
    (tmp_path / 'cache' / 'model.zip').write_bytes(b'put here by hand')
    assert download(url).read_bytes() == b'put here by hand'  # no network needed


def test_unknown_host_is_said_at_once(tmp_path, capsys):
    """Issue 23 item 4: a name that does not resolve (``.invalid`` never does, RFC 2606) is not retried."""
    url = 'http://download.rtmpose-test.invalid/m/model.zip'
    tic = time.perf_counter()
    with pytest.raises(DownloadError, match=r'the host download.rtmpose-test.invalid cannot be reached') as info:
        download(url, tmp_path, progress=False)
    assert time.perf_counter() - tic < 5 and url in str(info.value) and str(tmp_path / 'model.zip') in str(info.value)
    assert 'interrupted' not in capsys.readouterr().err


def test_refused_connection_is_said_at_once(tmp_path, capsys):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(('127.0.0.1', 0))
        url = f'http://127.0.0.1:{sock.getsockname()[1]}/m/model.zip'
    with pytest.raises(DownloadError, match='the host 127.0.0.1 cannot be reached'):
        download(url, tmp_path, progress=False)  # default retries
    assert 'interrupted' not in capsys.readouterr().err


def test_cut_file_in_the_cache_is_found_and_fetched_again(server, tmp_path, capsys):
    """Issue 23 item 10: a cached ``.pth`` is checked against the digits in its name on every use."""
    name = f'rtmpose-x_simcc-{DIGEST[:8]}_20230126.pth'
    server.files[f'/m/{name}'] = DATA
    (tmp_path / name).write_bytes(DATA[:1000])  # cut short (a disk that filled, a copy by hand)
    assert download(f'{server.url}/m/{name}', tmp_path, progress=False).read_bytes() == DATA
    assert f'{tmp_path / name} is damaged (SHA-256' in capsys.readouterr().err and len(server.requests) == 1
    (tmp_path / name).write_bytes(DATA[:1000])
    server.close()  # offline: the error names the damaged file, which stays until a good one replaces it
    with pytest.raises(DownloadError, match=rf'the cached {tmp_path / name} is damaged .*could not download'):
        download(f'{server.url}/m/{name}', tmp_path, progress=False)
    assert (tmp_path / name).stat().st_size == 1000


def _fetch_in_process(url, folder, results):
    try:
        results.put(download(url, folder, progress=False).read_bytes() == DATA)
    except Exception as err:  # noqa: BLE001 (reported to the test)
        results.put(repr(err))


def test_two_processes_fetching_one_file_take_turns(server, tmp_path):
    """Issue 23 item 10: the second process waits for the first one's file; it never resumes the other's ``.part``."""
    name = f'rtmpose-x_simcc-{DIGEST[:8]}_20230126.pth'
    server.files[f'/m/{name}'] = DATA
    server.slow.add(f'/m/{name}')  # 2 s per transfer: the two fetches overlap
    context = multiprocessing.get_context('spawn')
    results = context.Queue()
    workers = [context.Process(target=_fetch_in_process, args=(f'{server.url}/m/{name}', tmp_path, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [results.get(timeout=1) for _ in workers] == [True, True]
    assert server.requests == [(f'/m/{name}', None)] and _files(tmp_path) == [name]

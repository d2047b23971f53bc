"""trusted_checkpoints: mmengine checkpoints (numpy metadata, HistoryBuffer) load inside the block, from files and
http(s) URLs, and mmengine's own loaders are back after it, also after an error."""
import functools
import http.server
import pickle
import threading

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from rtmpose.engine import trusted_checkpoints


def loaders() -> list:
    return list(CheckpointLoader._schemes.items())


@pytest.fixture
def checkpoint(tmp_path):
    """A checkpoint holding what mmengine's runner writes besides tensors."""
    buffer = HistoryBuffer()
    buffer.update(np.float64(0.5))
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(meta=dict(dataset_meta=dict(sigmas=np.full(17, 0.05)), seed=np.int64(21)),
                    message_hub=dict(log_scalars={'train/loss': buffer}), state_dict={'w': torch.ones(2)}), path)
    return path


@pytest.fixture
def http_url(tmp_path, checkpoint, monkeypatch):
    """``checkpoint`` served over http from a local server; torch's download cache in ``tmp_path``."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(checkpoint.parent))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_port}/{checkpoint.name}'
    server.shutdown()


def test_mmengines_loaders_refuse_mmengine_checkpoints_under_torch_2_6(checkpoint):
    with pytest.raises(pickle.UnpicklingError, match='weights_only'):
        CheckpointLoader.load_checkpoint(str(checkpoint))


def test_local_checkpoint_loads_inside_and_mmengines_loaders_return(checkpoint):
    before = loaders()
    with trusted_checkpoints():
        assert loaders() != before
        loaded = CheckpointLoader.load_checkpoint(str(checkpoint), map_location='cpu')
    assert loaded['message_hub']['log_scalars']['train/loss'].current() == 0.5
    assert loaded['meta']['seed'] == 21 and torch.equal(loaded['state_dict']['w'], torch.ones(2))
    assert loaders() == before
    with pytest.raises(pickle.UnpicklingError):
        CheckpointLoader.load_checkpoint(str(checkpoint))


def test_http_checkpoint_loads_inside(http_url):
    with trusted_checkpoints():
        loaded = CheckpointLoader.load_checkpoint(http_url, map_location='cpu')
    assert loaded['meta']['seed'] == 21


def test_missing_file_is_named(tmp_path):
    with trusted_checkpoints(), pytest.raises(FileNotFoundError, match='nope.pth'):
        CheckpointLoader.load_checkpoint(str(tmp_path / 'nope.pth'))


def test_loaders_return_after_an_error_and_nested_blocks():
    before = loaders()
    with pytest.raises(RuntimeError), trusted_checkpoints():
        raise RuntimeError('load failed')
    assert loaders() == before
    with trusted_checkpoints():
        trusted = loaders()
        with trusted_checkpoints():
            pass
        assert loaders() == trusted
    assert loaders() == before


def test_overlapping_blocks_restore_when_the_last_one_ends():
    """Two hooks of one run leave their blocks in priority order, not in reverse."""
    before = loaders()
    first, second = trusted_checkpoints(), trusted_checkpoints()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert loaders() != before
    second.__exit__(None, None, None)
    assert loaders() == before

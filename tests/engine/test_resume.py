"""Kill a `mim train` run mid-epoch, resume it with --resume: it finishes with the weights of an uninterrupted run,
and no checkpoint is ever left half-written."""
import pytest
import torch

from tests.engine.conftest import run, train_cmd


def final_weights(work_dir) -> dict:
    return torch.load(work_dir / 'epoch_2.pth', map_location='cpu', weights_only=False)['state_dict']


@pytest.mark.slow
def test_killed_and_resumed_run_equals_uninterrupted_run(tiny_demo_run, tmp_path):
    straight, data_root = tiny_demo_run
    interrupted = tmp_path / 'interrupted'
    # kill during the second epoch, after its first iteration was logged
    code = run(train_cmd(interrupted, data_root), tmp_path / 'killed.log', kill_when=r'Epoch\(train\)\s+\[2\]\[\s*1/')
    assert code == -9, (tmp_path / 'killed.log').read_text()[-3000:]
    assert (interrupted / 'epoch_1.pth').is_file() and not (interrupted / 'epoch_2.pth').exists()

    assert run(train_cmd(interrupted, data_root, resume=True), tmp_path / 'resumed.log') == 0
    assert 'resumed' in (tmp_path / 'resumed.log').read_text().lower()
    a, b = final_weights(straight), final_weights(interrupted)
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(b[key], a[key], atol=1e-6, rtol=0, msg=key)
    assert not list(interrupted.rglob('*.part')), 'a partial checkpoint was left behind'


def test_training_writes_logs_and_a_curve_picture(tiny_demo_run):
    work_dir, _ = tiny_demo_run
    assert (work_dir / 'training_curves.png').stat().st_size > 1000
    assert list(work_dir.glob('*/vis_data/scalars.json'))
    assert (work_dir / 'last_checkpoint').read_text().strip().endswith('epoch_2.pth')

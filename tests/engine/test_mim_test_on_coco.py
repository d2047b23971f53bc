"""`mim test` of a demo-trained checkpoint on the real COCO images in ../shared, with ground-truth boxes and with
the detector boxes; and the clear errors for a missing checkpoint or dataset."""
import re

import pytest

from tests.engine.conftest import DEMO_CONFIG, MIM, run


def mim_test_cmd(checkpoint, coco, bbox_file, work_dir) -> list[str]:
    options = [
        'test_dataloader.dataset.demo_cfg=None', f'test_dataloader.dataset.data_root={coco}/',
        'test_dataloader.dataset.ann_file=test_coco.json', 'test_dataloader.dataset.data_prefix.img=',
        f'test_dataloader.dataset.bbox_file={bbox_file}', f'test_evaluator.ann_file={coco}/test_coco.json',
    ]
    return [MIM, 'test', 'mmpose', DEMO_CONFIG, '--checkpoint', str(checkpoint), '--work-dir', str(work_dir),
            '--cfg-options', *options]


@pytest.mark.slow
@pytest.mark.parametrize('bbox_file', [None, 'test_coco_det_AP_H_56.json'], ids=['gt-boxes', 'detector-boxes'])
def test_demo_trained_model_runs_through_real_coco(tiny_demo_run, shared_dir, tmp_path, bbox_file):
    work_dir, _ = tiny_demo_run
    coco = shared_dir / 'data/coco'
    bbox = 'None' if bbox_file is None else str(coco / bbox_file)
    log = tmp_path / 'test.log'
    assert run(mim_test_cmd(work_dir / 'epoch_2.pth', coco, bbox, tmp_path / 'wd'), log) == 0, log.read_text()[-3000:]
    ap = float(re.findall(r'coco/AP: ([0-9.]+)', log.read_text())[-1])
    assert 0.0 <= ap <= 1.0


def our_last_line(text: str) -> str:
    """The last line the training / test script printed: the output before mim's own traceback (mim runs the script
    as a child and raises CalledProcessError when it fails), which must be the only traceback."""
    assert text.count('Traceback (most recent call last)') == 1, text[-3000:]
    ours, mims = text.split('Traceback (most recent call last)')
    assert 'CalledProcessError' in mims and 'mim' in mims.splitlines()[1]
    return ours.rstrip().splitlines()[-1]


def test_missing_checkpoint_is_named_before_testing(shared_dir, tmp_path):
    coco = shared_dir / 'data/coco'
    log = tmp_path / 'test.log'
    assert run(mim_test_cmd(tmp_path / 'nope.pth', coco, 'None', tmp_path / 'wd'), log) != 0
    assert re.match(r"checkpoint not found: '.*nope\.pth'", our_last_line(log.read_text()))
    assert 'Evaluating' not in log.read_text()


def test_missing_dataset_is_named_before_training(tmp_path):
    log = tmp_path / 'train.log'
    cmd = [MIM, 'train', 'mmpose', DEMO_CONFIG.replace('rtmpose-t_demo', 'rtmpose-t_coco'), '--work-dir',
           str(tmp_path / 'wd'), '--cfg-options', f'train_dataloader.dataset.data_root={tmp_path}/no-coco/']
    assert run(cmd, log) != 0
    text = log.read_text()
    last = our_last_line(text)
    assert 'dataset folder not found' in last and 'no-coco' in last and 'Download COCO 2017' in last
    assert 'Epoch(train)' not in text

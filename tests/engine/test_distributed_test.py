"""Proof 3: testing with 2 gloo processes (`tools/dist_test.sh`) gives the metrics of a 1-process `mim test` to the
last digit, on the demo val split and on the real COCO fixture with detector boxes: mmengine's sampler pads each
rank's share to the same length, and every sample must still be scored exactly once."""
import json
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.engine.conftest import DEMO_CONFIG, MIM, REPO_ROOT, free_port, run

pytestmark = pytest.mark.slow


def evaluate(checkpoint: Path, work_dir: Path, procs: int, options: list[str]) -> tuple[dict, list[dict]]:
    """(COCO metrics at full precision, the dumped prediction of every sample) of `mim test` (1 process) or
    `tools/dist_test.sh` (torchrun, ``procs`` CPU processes; `mim test --launcher pytorch` needs GPUs)."""
    if procs == 1:
        cmd = [MIM, 'test', 'mmpose', DEMO_CONFIG, '--checkpoint', str(checkpoint), '--launcher', 'none']
    else:
        cmd = ['env', f'PORT={free_port()}', f'PYTHON={sys.executable}', 'bash', str(REPO_ROOT / 'tools/dist_test.sh'),
               DEMO_CONFIG, str(checkpoint), str(procs)]
    # (--dump makes test_evaluator a list: options address the CocoMetric as test_evaluator.0)
    cmd += ['--work-dir', str(work_dir), '--out', str(work_dir / 'metrics.json'), '--dump', str(work_dir / 'preds.pkl'),
            '--cfg-options', 'test_dataloader.batch_size=4', *options]
    log = work_dir.with_suffix('.log')
    work_dir.mkdir(parents=True)
    # cwd: mmengine collects the ranks' results through a temporary folder under ./.dist_test
    assert run(cmd, log, cwd=work_dir) == 0, log.read_text()[-3000:]
    metrics = json.loads((work_dir / 'metrics.json').read_text())
    predictions = pickle.loads((work_dir / 'preds.pkl').read_bytes())
    return {k: v for k, v in metrics.items() if k.startswith('coco/')}, predictions


def assert_same_scores(checkpoint: Path, tmp_path: Path, options: list[str], num_samples: int) -> None:
    """The first ``num_samples`` (odd: the sampler pads rank 1's share) samples tested by 1 and by 2 processes."""
    assert num_samples % 2 == 1
    options = [*options, f'test_dataloader.dataset.indices={num_samples}']
    one_metrics, one = evaluate(checkpoint, tmp_path / 'one', 1, options)
    two_metrics, two = evaluate(checkpoint, tmp_path / 'two', 2, options)
    assert len(one_metrics) == 10 and two_metrics == one_metrics  # to the last digit
    assert len({p['id'] for p in one}) == len(one) == num_samples
    assert [p['id'] for p in two] == [p['id'] for p in one]  # each sample once, in order: the padding is dropped
    for a, b in zip(one, two):  # the same predictions up to float32 rounding (other batches, other threads)
        np.testing.assert_allclose(b['pred_instances']['keypoints'], a['pred_instances']['keypoints'], atol=1e-4)
        np.testing.assert_allclose(b['pred_instances']['keypoint_scores'], a['pred_instances']['keypoint_scores'],
                                   atol=1e-6)


def test_two_process_test_equals_one_process_on_demo_val(tiny_demo_run, tmp_path):
    work_dir, data_root = tiny_demo_run
    options = [f'test_dataloader.dataset.data_root={data_root}/', 'test_dataloader.dataset.demo_cfg.num_train=10',
               'test_dataloader.dataset.demo_cfg.num_val=3',
               f'test_evaluator.0.ann_file={data_root}/annotations/person_keypoints_val.json']
    assert_same_scores(work_dir / 'epoch_2.pth', tmp_path, options, num_samples=5)


def test_two_process_test_equals_one_process_on_real_coco(tiny_demo_run, shared_dir, tmp_path):
    coco = shared_dir / 'data/coco'
    options = [
        'test_dataloader.dataset.demo_cfg=None', f'test_dataloader.dataset.data_root={coco}/',
        'test_dataloader.dataset.ann_file=test_coco.json', 'test_dataloader.dataset.data_prefix.img=',
        f'test_dataloader.dataset.bbox_file={coco}/test_coco_det_AP_H_56.json',
        f'test_evaluator.0.ann_file={coco}/test_coco.json',
    ]
    assert_same_scores(tiny_demo_run[0] / 'epoch_2.pth', tmp_path, options, num_samples=117)  # of 118 boxes

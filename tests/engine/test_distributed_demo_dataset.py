"""Two gloo ranks building DemoCocoDataset on an empty folder: local rank 0 generates the set once, rank 1 waits for
it and finds it complete."""
import json
import os
import time

import torch.distributed as dist
import torch.multiprocessing as mp

from tests.engine.conftest import free_port


def rank_main(rank: int, port: int, root: str) -> None:
    from rtmpose.datasets import demo_dataset
    os.environ['LOCAL_RANK'] = str(rank)
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=2)
    ensure = demo_dataset.ensure_demo_dataset

    def recorded(*args, **kwargs) -> dict:
        start = time.time()
        summary = ensure(*args, **kwargs)
        with open(f'{root}.rank{rank}.json', 'w') as f:
            json.dump(dict(start=start, end=time.time(), generated=summary['generated']), f)
        return summary

    demo_dataset.ensure_demo_dataset = recorded
    demo_dataset.DemoCocoDataset(data_root=root, demo_cfg=dict(num_train=3, num_val=1, seed=0),
                                 ann_file='annotations/person_keypoints_train.json', data_prefix=dict(img='train/'))
    dist.destroy_process_group()


def test_local_rank_0_generates_once_and_the_other_rank_waits(tmp_path):
    root = tmp_path / 'demo'
    mp.start_processes(rank_main, args=(free_port(), str(root)), nprocs=2, start_method='spawn')
    first, second = (json.loads((tmp_path / f'demo.rank{r}.json').read_text()) for r in range(2))
    assert first['generated'] and not second['generated']
    assert second['start'] >= first['end']
    assert sorted(p.name for p in tmp_path.iterdir()) == ['demo', 'demo.rank0.json', 'demo.rank1.json']

"""Write the synthetic COCO person-keypoint demo dataset (see :mod:`rtmpose.synthetic`).

Example::

    python tools/make_demo_dataset.py --num-train 1500 --num-val 200 --seed 0  # data/demo/seed0_train1500_val200
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from rtmpose.synthetic import generate_demo_dataset


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', help='dataset folder (default: data/demo/seed{seed}_train{num_train}_val{num_val}, '
                        'the folder configs/rtmpose-t_demo.py names after the same settings)')
    parser.add_argument('--num-train', type=int, default=1500, help='training images (default: 1500)')
    parser.add_argument('--num-val', type=int, default=200, help='validation images (default: 200)')
    parser.add_argument('--seed', type=int, default=0, help='random seed (default: 0)')
    parser.add_argument('--overwrite', action='store_true', help='replace whatever is at --out')
    return parser.parse_args(argv)


class ProgressPrinter:
    """Prints ``split done/total (images/s)`` every ``every`` images and at the end of each split."""

    def __init__(self, every: int = 100):
        self.every = every
        self.start = time.perf_counter()
        self.done = 0

    def __call__(self, split: str, done: int, total: int) -> None:
        self.done += 1
        if done % self.every == 0 or done == total:
            rate = self.done / max(time.perf_counter() - self.start, 1e-9)
            print(f'{split}: {done}/{total} images ({rate:.1f} images/s)', flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out or f'data/demo/seed{args.seed}_train{args.num_train}_val{args.num_val}'
    try:
        summary = generate_demo_dataset(out, num_train=args.num_train, num_val=args.num_val, seed=args.seed,
                                        overwrite=args.overwrite, progress=ProgressPrinter())
    except FileExistsError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    if not summary['generated']:
        print(f"{summary['root']} is up to date (seed {summary['seed']}); nothing written")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())

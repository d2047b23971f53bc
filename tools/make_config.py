"""Write an RTMPose config and its keypoint metainfo for a COCO keypoint file of your own (CVAT, Label Studio,
Roboflow exports): names and skeleton from the file, flip pairs from the names, OKS sigmas a default or given.

    python tools/make_config.py data/horse/annotations/train.json --img-dir data/horse/images \\
        --val-ann data/horse/annotations/val.json --val-img-dir data/horse/images --model rtmpose-t \\
        --out configs/custom/horse.py
    mim train mmpose configs/custom/horse.py
"""
import argparse
import sys
from pathlib import Path

from rtmpose.custom import MakeConfigArgs, make_config


def parse_args(argv: list[str] | None = None) -> MakeConfigArgs:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('ann', type=Path, help='COCO keypoint annotation file (train)')
    parser.add_argument('--img-dir', type=Path, required=True, help='folder of its images (file_name is relative)')
    parser.add_argument('--out', type=Path, required=True, help='config to write (metainfo and data files beside)')
    parser.add_argument('--model', default='rtmpose-t', help='model size: rtmpose-t, -s, -m or -l')
    parser.add_argument('--val-ann', type=Path, help='COCO keypoint annotation file (val)')
    parser.add_argument('--val-img-dir', type=Path, help='folder of the val images (default: --img-dir)')
    parser.add_argument('--val-split', type=float, help='without --val-ann: this fraction of the images is val')
    parser.add_argument('--category', help='the keypoint category, when the file has several')
    parser.add_argument('--flip-pairs', help='a:b,c:d flip partners (override the ones inferred; a:a for none)')
    parser.add_argument('--sigmas', help='OKS sigmas, one per keypoint: comma-separated numbers or a file')
    parser.add_argument('--input-size', type=int, nargs=2, metavar=('W', 'H'), help='input size (default 192 256)')
    parser.add_argument('--batch-size', type=int, help='training batch size (default: 64 with a GPU, else 16)')
    parser.add_argument('--force', action='store_true', help='overwrite files written before')
    args = parser.parse_args(argv)
    return MakeConfigArgs(**{k: tuple(v) if k == 'input_size' and v else v for k, v in vars(args).items()})


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        lines = make_config(args)
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    print('\n'.join(lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())

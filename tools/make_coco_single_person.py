"""Write the COCO-SinglePerson subset of a COCO keypoint annotation file (the paper's single-person benchmark).

    python tools/make_coco_single_person.py ANN_IN ANN_OUT

e.g. ``python tools/make_coco_single_person.py data/coco/annotations/person_keypoints_val2017.json
data/coco/annotations/person_keypoints_val2017_single_person.json``, then ``mim test mmpose
configs/coco/rtmpose-m_coco-single-person.py --checkpoint CKPT``.

Rule: an image belongs to the subset when the annotation file holds exactly one person annotation for it (crowd
regions included in the count) and that annotation is not a crowd region and has at least one labelled keypoint.
The output keeps every top-level field of the input (``info``, ``licenses``, ``categories``), the images of the subset
and their annotations, in the input's order. The paper reports 1045 such images for COCO val2017; the script prints
its count, so a run on val2017 checks the rule against that number.
"""
import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rtmpose.utils.atomic_write import atomic_write
from rtmpose.utils.json_file import read_json


def single_person(coco: dict) -> dict:
    """The subset of the COCO keypoint dict ``coco`` whose images show exactly one, non-crowd, labelled person."""
    persons = Counter(ann['image_id'] for ann in coco['annotations'])
    keep = [ann for ann in coco['annotations']
            if persons[ann['image_id']] == 1 and not ann.get('iscrowd', 0) and ann.get('num_keypoints', 0) > 0]
    image_ids = {ann['image_id'] for ann in keep}
    return dict(coco, images=[img for img in coco['images'] if img['id'] in image_ids], annotations=keep)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_in', type=Path, help='COCO keypoint annotations, e.g. person_keypoints_val2017.json')
    parser.add_argument('ann_out', type=Path, help='where to write the single-person subset (.json)')
    args = parser.parse_args(argv)
    if args.ann_out.resolve() == args.ann_in.resolve():
        print('ANN_OUT must differ from ANN_IN (the input is not overwritten)', file=sys.stderr)
        return 2
    try:
        coco = read_json(args.ann_in, 'annotation file')
    except (FileNotFoundError, ValueError) as err:  # missing, unreadable or truncated: say which file
        print(err, file=sys.stderr)
        return 2
    if not {'images', 'annotations'} <= coco.keys():
        print(f'{args.ann_in} is not a COCO annotation file (no images / annotations)', file=sys.stderr)
        return 2
    subset = single_person(coco)
    with atomic_write(args.ann_out, 'w') as f:  # never a half-written file at ANN_OUT
        json.dump(subset, f)
    print(f'{len(subset["images"])} single-person images of {len(coco["images"])} written to {args.ann_out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())

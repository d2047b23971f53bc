"""Compare a converted model with the PyTorch model on real person crops from COCO.

    python tools/verify_backend.py DEPLOY_CFG MODEL_CFG CHECKPOINT WORK_DIR [--coco-dir DIR] [--device cpu]
        [--json OUT.json]

WORK_DIR holds the files ``tools/deploy.py`` wrote for DEPLOY_CFG with the same MODEL_CFG and CHECKPOINT. Every
person of ``test_coco.json`` (default: ``../shared/data/coco`` or ``$RTMPOSE_SHARED/data/coco``) is cropped from its
ground-truth box with padding 1.25 and the affine crop to 192x256 (MMPose's ``GetBBoxCenterScale`` and
``TopdownAffine``); both models run on the crops, both outputs are decoded by the model's SimCCLabel (or taken as they
are from a model with the decode inside), and the report gives the max and mean keypoint distance in input pixels
and the max score difference.

Without trained weights, keypoint errors of a random model mean nothing (its SimCC vectors are flat). Make a
checkpoint whose head is fitted to these crops first, and deploy and verify with it::

    python tools/verify_backend.py --peaked-checkpoint work_dirs/rtmpose-t-peaked.pth configs/rtmpose-t_coco.py
"""
import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def default_coco_dir() -> Path:
    return Path(os.environ.get('RTMPOSE_SHARED', REPO.parent / 'shared')) / 'data' / 'coco'


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('args', nargs='+', help='DEPLOY_CFG MODEL_CFG CHECKPOINT WORK_DIR, or with '
                        '--peaked-checkpoint only MODEL_CFG')
    parser.add_argument('--coco-dir', type=Path, default=default_coco_dir(), help='folder with test_coco.json')
    parser.add_argument('--device', default='cpu', help='device of the converted model (TensorRT: cuda:0)')
    parser.add_argument('--json', type=Path, help='also write the report to this file')
    parser.add_argument('--peaked-checkpoint', type=Path, metavar='OUT',
                        help='write a checkpoint with a random backbone and a head fitted to the crops, then exit')
    args = parser.parse_args(argv)
    expected = 1 if args.peaked_checkpoint else 4
    if len(args.args) != expected:
        parser.error(f'expected {expected} positional arguments, got {len(args.args)}')
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.coco_dir / 'test_coco.json').is_file():
        print(f'error: no test_coco.json in {args.coco_dir} (pass --coco-dir or set RTMPOSE_SHARED)', file=sys.stderr)
        return 2
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from rtmpose.deploy.artifacts import artifacts
    from rtmpose.deploy.backend_model import load_backend_model
    from rtmpose.deploy.coco_crops import load_person_crops
    from rtmpose.deploy.head_fit import peaked_checkpoint
    from rtmpose.deploy.parity import compare, keypoints_and_scores, torch_outputs

    crops = load_person_crops(args.coco_dir)
    if args.peaked_checkpoint:
        peaked_checkpoint(Config.fromfile(args.args[0]), crops.inputs, crops.keypoints, args.peaked_checkpoint)
        print(f'wrote {args.peaked_checkpoint}')
        return 0

    from mmdeploy.apis import build_task_processor

    deploy_file, model_file, checkpoint, work_dir = args.args
    deploy_cfg, model_cfg = Config.fromfile(deploy_file), Config.fromfile(model_file)
    files = artifacts(deploy_cfg, work_dir)
    missing = [str(p) for p in files.backend_files if not p.is_file()]
    if missing:
        print(f'error: converted model not found: {", ".join(missing)} (run tools/deploy.py first)', file=sys.stderr)
        return 2
    with DefaultScope.overwrite_default_scope(model_cfg.get('default_scope')):
        model = build_task_processor(model_cfg, deploy_cfg, 'cpu').build_pytorch_model(
            None if checkpoint.lower() == 'none' else checkpoint)
    reference = keypoints_and_scores(torch_outputs(model, crops.inputs), model.head.decoder)
    converted = load_backend_model(files, device=args.device)
    parity = compare(reference, keypoints_and_scores(converted(crops.inputs), model.head.decoder))
    report = dict(backend=files.backend, precision=files.precision, deploy_cfg=deploy_file, model_cfg=model_file,
                  checkpoint=checkpoint, crops=len(crops.inputs), **parity.as_dict())
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())

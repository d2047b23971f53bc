"""Compare a converted model with the PyTorch model on real person crops from COCO.

    python tools/verify_backend.py DEPLOY_CFG MODEL_CFG CHECKPOINT WORK_DIR [--coco-dir DIR] [--device cpu]
        [--json OUT.json]

WORK_DIR holds the files ``tools/deploy.py`` wrote for DEPLOY_CFG with the same MODEL_CFG and CHECKPOINT. Every
person of ``test_coco.json`` (default: ``../shared/data/coco`` or ``$RTMPOSE_SHARED/data/coco``) is cropped from its
ground-truth box with padding 1.25 and the affine crop to the model's input size (MMPose's ``GetBBoxCenterScale`` and
``TopdownAffine``); the PyTorch model and the converted one, on the ``rtmpose.backends`` object the inference pipeline
uses, run on the crops, both outputs are decoded by the model's SimCCLabel (or taken as they are from a model with
the decode inside), and the report gives the max and mean keypoint distance in input pixels and the max score
difference.

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


def input_size(model_cfg) -> tuple[int, int]:
    """The ``(w, h)`` crop size of a model config (its SimCC codec's ``input_size``; MMDeploy exports the model at
    this size, whatever the deploy config's ``input_shape``)."""
    return tuple(int(v) for v in model_cfg.model.head.decoder.input_size)


def write_peaked_checkpoint(model_file: str, coco_dir: Path, out: Path) -> int:
    from mmengine.config import Config

    from rtmpose.testing.coco_crops import load_person_crops
    from rtmpose.testing.head_fit import peaked_checkpoint

    model_cfg = Config.fromfile(model_file)
    crops = load_person_crops(coco_dir, input_size=input_size(model_cfg))
    peaked_checkpoint(model_cfg, crops.inputs, crops.keypoints, out)
    print(f'wrote {out}')
    return 0


def verify(deploy_file: str, model_file: str, checkpoint: str, work_dir: str, coco_dir: Path, device: str) -> dict:
    """The parity report of the converted model in ``work_dir`` against the PyTorch model.

    Raises:
        rtmpose.deploy.checks.DeployError: the converted files are missing, or the checkpoint does not fit the model.
    """
    from mmdeploy.apis import build_task_processor
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from rtmpose.deploy.artifacts import artifacts
    from rtmpose.deploy.checks import DeployError
    from rtmpose.deploy.model_config import check_checkpoint_fits, fit_input_shape, mmdeploy_model_config
    from rtmpose.engine import trusted_checkpoints
    from rtmpose.testing.coco_crops import load_person_crops
    from rtmpose.testing.parity import compare, keypoints_and_scores, torch_outputs

    deploy_cfg, model_cfg = Config.fromfile(deploy_file), mmdeploy_model_config(Config.fromfile(model_file))
    fit_input_shape(deploy_cfg, model_cfg)
    check_checkpoint_fits(model_cfg, deploy_cfg, None if checkpoint.lower() == 'none' else checkpoint)
    files = artifacts(deploy_cfg, work_dir)
    missing = [str(p) for p in files.backend_files if not p.is_file()]
    if missing:
        raise DeployError(f'converted model not found: {", ".join(missing)} (run tools/deploy.py first)')
    crops = load_person_crops(coco_dir, input_size=input_size(model_cfg))
    with DefaultScope.overwrite_default_scope(model_cfg.get('default_scope')), trusted_checkpoints():
        model = build_task_processor(model_cfg, deploy_cfg, 'cpu').build_pytorch_model(
            None if checkpoint.lower() == 'none' else checkpoint)
    reference = keypoints_and_scores(torch_outputs(model, crops.inputs), model.head.decoder)
    converted = files.outputs(files.open_backend(device=device), crops.inputs)
    parity = compare(reference, keypoints_and_scores(converted, model.head.decoder))
    return dict(backend=files.backend, precision=files.precision, deploy_cfg=deploy_file, model_cfg=model_file,
                checkpoint=checkpoint, crops=len(crops.inputs), **parity.as_dict())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.coco_dir / 'test_coco.json').is_file():
        print(f'error: no test_coco.json in {args.coco_dir} (pass --coco-dir or set RTMPOSE_SHARED)', file=sys.stderr)
        return 2
    if args.peaked_checkpoint:
        return write_peaked_checkpoint(args.args[0], args.coco_dir, args.peaked_checkpoint)
    from rtmpose.deploy.checks import DeployError

    try:
        report = verify(*args.args, args.coco_dir, args.device)
    except DeployError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())

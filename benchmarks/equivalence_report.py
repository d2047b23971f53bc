"""Largest differences between our modules and MMPose's reference for the same weights and inputs.

Measures what tests/ asserts, and prints the actual maxima (not just pass/fail):
1. RTMPose-t/s/m/l built from our configs vs MMPose's: simcc_x/simcc_y outputs, decoded keypoints and scores
   (flip test on and off);
2. SimCCLabel labels and weights on the real annotations in the shared data folder (and random keypoints);
3. KLDiscretLoss values and gradients over all option combinations;
4. five AdamW steps of training: the losses.

Usage: python benchmarks/equivalence_report.py [--shared DIR]   (writes benchmarks/results/equivalence.{json,md};
about a minute on a 2-core CPU)
"""
import argparse
import itertools
import json
import os
from pathlib import Path

import numpy as np
import torch

from rtmpose.testing.equivalence_inputs import (
    CODEC_SETTINGS,
    coco_person_crops,
    image_batch,
    predict_samples,
    random_keypoints,
    simcc_loss_inputs,
    training_batch,
)
from rtmpose.testing.reference import codec_pair, loss_pair, model_pair

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / 'configs'


def max_abs(a, b) -> float:
    return float(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)).max(initial=0))


def models() -> dict:
    out = {}
    for arch in 'tsml':
        ours, ref = model_pair(CONFIGS / f'rtmpose-{arch}_coco.py')
        ours.eval(), ref.eval()
        x = image_batch(4)
        with torch.no_grad():
            o, r = ours.head(ours.extract_feat(x)), ref.head(ref.extract_feat(x))
        row = dict(simcc=max(max_abs(a, b) for a, b in zip(o, r)))
        for flip in (False, True):
            preds = []
            for model in (ours, ref):
                model.test_cfg['flip_test'] = flip
                with torch.no_grad():
                    preds.append(model.predict(image_batch(3, 1), predict_samples(3)))
            row[f'keypoints_flip={flip}'] = max(
                max_abs(a.pred_instances.keypoints, b.pred_instances.keypoints) for a, b in zip(*preds))
            row[f'scores_flip={flip}'] = max(
                max_abs(a.pred_instances.keypoint_scores, b.pred_instances.keypoint_scores) for a, b in zip(*preds))
        out[f'rtmpose-{arch}'] = row
    return out


def codec(shared: Path) -> dict:
    worst_random, worst_real = 0.0, None
    ann_file = shared / 'data/coco/test_coco.json'
    for setting in CODEC_SETTINGS:
        ours, ref = codec_pair(**setting)
        kpts, vis = random_keypoints(np.random.default_rng(0), 6, 17, setting['input_size'])
        a, b = ours.encode(kpts, vis), ref.encode(kpts.copy(), vis.copy())
        worst_random = max(worst_random, *(max_abs(a[k], b[k]) for k in a))
        if ann_file.is_file() and 'sigma' in setting:
            kpts, vis = coco_person_crops(ann_file)
            a, b = ours.encode(kpts, vis), ref.encode(kpts.copy(), vis.copy())
            worst_real = max(worst_real or 0.0, *(max_abs(a[k], b[k]) for k in a))
    return dict(labels_weights_random=worst_random, labels_weights_real_coco=worst_real)


def loss() -> dict:
    worst_value = worst_grad = 0.0
    pred, gt, weight = simcc_loss_inputs()
    for use_w, beta, soft in itertools.product([True, False], [1.0, 10.0], [True, False]):
        ours, ref = loss_pair(use_target_weight=use_w, beta=beta, label_softmax=soft)
        res = []
        for module in (ours, ref):
            p = tuple(t.clone().requires_grad_() for t in pred)
            value = module(p, gt, weight)
            value.backward()
            res.append((value.item(), p[0].grad, p[1].grad))
        worst_value = max(worst_value, abs(res[0][0] - res[1][0]))
        worst_grad = max(worst_grad, max_abs(res[0][1], res[1][1]), max_abs(res[0][2], res[1][2]))
    return dict(value=worst_value, grad=worst_grad)


def training() -> dict:
    out = {}
    for arch in 'tm':
        ours, ref = model_pair(CONFIGS / f'rtmpose-{arch}_coco.py', seed=1)
        inputs, samples = training_batch(4)
        losses = []
        for model in (ours, ref):
            model.train()
            optim = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.05)
            history = []
            for _ in range(5):
                value = model.loss(inputs, samples)['loss_kpt']
                optim.zero_grad()
                value.backward()
                optim.step()
                history.append(value.item())
            losses.append(history)
        out[f'rtmpose-{arch}'] = max_abs(*losses)
    return out


def markdown(report: dict) -> str:
    """The report as a markdown table (one row per check)."""
    lines = ['| check | largest difference (ours vs MMPose) |', '|---|---|']
    for name, row in report['models'].items():
        lines.append(f"| {name} simcc_x/y outputs | {row['simcc']:.2e} |")
        lines.append(f"| {name} keypoints, flip off / on (px) | {row['keypoints_flip=False']:.1e} / "
                     f"{row['keypoints_flip=True']:.1e} |")
        lines.append(f"| {name} scores, flip off / on | {row['scores_flip=False']:.1e} / "
                     f"{row['scores_flip=True']:.1e} |")
    real = report['codec']['labels_weights_real_coco']
    lines.append(f"| SimCCLabel labels and weights, random / real COCO | {report['codec']['labels_weights_random']:.1e}"
                 f" / {'n/a' if real is None else f'{real:.1e}'} |")
    lines.append(f"| KLDiscretLoss value / gradient (8 option sets) | {report['loss']['value']:.1e} / "
                 f"{report['loss']['grad']:.1e} |")
    for name, diff in report['training_5_adamw_steps'].items():
        lines.append(f'| {name} losses over 5 AdamW steps | {diff:.1e} |')
    return '\n'.join(lines) + '\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--shared', type=Path, default=Path(os.environ.get('RTMPOSE_SHARED', ROOT.parent / 'shared')),
                        help='real-data folder with data/coco/test_coco.json (default: $RTMPOSE_SHARED or ../shared '
                        'beside the repository); without it the real-COCO codec row is n/a')
    args = parser.parse_args()
    report = dict(models=models(), codec=codec(args.shared), loss=loss(), training_5_adamw_steps=training())
    out = ROOT / 'benchmarks/results/equivalence'
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix('.json').write_text(json.dumps(report, indent=2))
    table = markdown(report)
    out.with_suffix('.md').write_text(table)
    print(table, end='')


if __name__ == '__main__':
    main()

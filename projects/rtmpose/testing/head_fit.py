"""Give a randomly initialised RTMPose a peaked head, so that backend parity can be measured in keypoints.

Without official weights (none can be downloaded here) a model has random weights, and the SimCC vectors of a
random head are nearly flat: their argmax is decided by differences of ~1e-6 between far-apart bins, so any
rounding difference between two runtimes moves a keypoint by tens of pixels and keypoint errors say nothing about
the conversion. Training the whole network is too slow for a test on a CPU. Instead the backbone stays random and
frozen, the keypoint tokens of the crops (backbone, head conv, ScaleNorm + Linear) are computed once, and only the
GAU and the two SimCC classifiers are trained for a few hundred Adam steps with the model's own KL loss on the
crops' ground truth. The SimCC vectors then have one smooth Gaussian-like peak per keypoint, as a trained model's do; a
rounding difference can move the argmax by a bin next to the peak (0.5 px), not across the image.
"""
from pathlib import Path

import numpy as np
import torch
from mmengine.config import Config
from torch import nn


def fit_head(model: nn.Module, inputs: np.ndarray, keypoints: np.ndarray, steps: int = 300, lr: float = 3e-3,
             seed: int = 0) -> nn.Module:
    """Train the GAU and the classifiers of ``model.head`` in place on crops and keypoints (deterministic for a
    given ``seed``).

    Every keypoint gets a target, also unlabelled ones (their coordinates clipped into the crop), so no SimCC
    row is left flat. The model is returned in eval mode.

    Args:
        model: A ``TopdownPoseEstimator`` whose head has ``decoder`` (SimCCLabel) and ``loss_module``.
        inputs: ``(N, 3, h, w)`` float32 normalised crops.
        keypoints: ``(N, K, 2)`` keypoints in crop pixels.
        steps: Adam steps on the whole batch.
        lr: Adam learning rate.
        seed: Seed of the torch generator used for the optimisation.

    Returns:
        ``model``.
    """
    head = model.head
    w, h = head.decoder.input_size
    targets = np.clip(keypoints, 0, [w - 1, h - 1])
    labels = head.decoder.encode(targets, np.ones(keypoints.shape[:2], dtype=np.float32))
    gt = (torch.from_numpy(labels['keypoint_x_labels']), torch.from_numpy(labels['keypoint_y_labels']))
    weights = torch.from_numpy(labels['keypoint_weights'])
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small tensors: one thread is fastest, and much faster on a loaded machine
    try:
        model.eval()
        with torch.no_grad():
            feats = model.extract_feat(torch.from_numpy(inputs))[-1]
            tokens = head.mlp(head.final_layer(feats).flatten(2))  # (N, K, D)
        torch.manual_seed(seed)
        trained = [head.gau, head.cls_x, head.cls_y]
        optimizer = torch.optim.Adam([p for m in trained for p in m.parameters()], lr=lr)
        for _ in range(steps):
            optimizer.zero_grad()
            out = head.gau(tokens)
            loss = head.loss_module((head.cls_x(out), head.cls_y(out)), gt, weights)
            loss.backward()
            optimizer.step()
    finally:
        torch.set_num_threads(threads)
    return model.eval()


def peaked_checkpoint(model_cfg: Config, inputs: np.ndarray, keypoints: np.ndarray, path: str | Path, seed: int = 0,
                      steps: int = 300) -> nn.Module:
    """Build the model of ``model_cfg`` with ``seed`` (:func:`~rtmpose.hub.openmmlab.build_rtmpose_model`, then
    ``init_weights``), fit its head with :func:`fit_head` and save ``{'state_dict': ...}`` to ``path`` (loadable with
    ``torch.load(weights_only=True)``).

    The model is built in ``model_cfg.default_scope``; the same file loads into MMPose's reference classes (scope
    ``'mmpose'``) since both have the same state-dict keys.

    Returns:
        The fitted model (eval mode, CPU).
    """
    from ..hub.openmmlab import build_rtmpose_model

    torch.manual_seed(seed)
    model = build_rtmpose_model(model_cfg)
    model.init_weights()
    fit_head(model, inputs, keypoints, steps=steps, seed=seed)
    torch.save({'state_dict': model.state_dict()}, str(path))
    return model

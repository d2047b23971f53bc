"""Small model-file helpers for the inference runtime's tests, benchmarks and demo (not the deployment tool).

- :func:`export_rtmpose_onnx`: an RTMPose config (+ checkpoint) -> ONNX with the MMDeploy layout (input ``input``
  ``(B, 3, h, w)``, outputs ``simcc_x``, ``simcc_y``, dynamic batch), with ``torch.onnx.export`` (TorchScript
  exporter) and no MMDeploy. ``tools/deploy.py`` is the full MMDeploy route; this one exists so that the runtime can
  be tested and benchmarked on a real RTMPose graph without it.
- :func:`strip_detector_nms`: an MMDeploy RTMDet ONNX (NMS in the graph) -> the same graph cut before the NMS
  (outputs ``boxes`` ``(B, N, 4)`` and ``scores`` ``(B, N, C)``), which pnnx/ncnn can run.
- :func:`onnx_to_ncnn`: ONNX -> ncnn ``.param`` / ``.bin`` with the ``pnnx`` executable.

torch, OpenMMLab, onnx and pnnx are imported inside the functions only.

Command line::

    python -m rtmpose.inference.export rtmpose-onnx configs/rtmpose-t_coco.py rtmpose-t.onnx [--checkpoint C]
    python -m rtmpose.inference.export strip-nms rtmdet-nano-person/end2end.onnx rtmdet-nano-raw.onnx
    python -m rtmpose.inference.export ncnn rtmpose-t.onnx rtmpose-t --shape 1,3,256,192
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Sequence

#: ``(x, y)`` of the 17 COCO keypoints as fractions of the crop (a standing person; extremes at 10% and 90% on both
#: axes, so the box around the keypoints times the usual 1.25 crop padding is the crop again).
PEAK_LAYOUT = ((.5, .12), (.55, .1), (.45, .1), (.6, .12), (.4, .12), (.68, .28), (.32, .28), (.8, .42), (.2, .42),
               (.9, .55), (.1, .55), (.62, .55), (.38, .55), (.62, .73), (.38, .73), (.62, .9), (.38, .9))

#: Ops that only carry the boxes/scores through to MMDeploy's NMS (followed backwards from the NMS inputs).
_PASS_THROUGH = {'Reshape', 'Gather', 'Flatten', 'Transpose', 'Unsqueeze', 'Squeeze', 'Identity', 'Cast'}


def build_rtmpose_model(config: str | Path, checkpoint: str | Path | None = None, device: str = 'cpu'):
    """Build the pose model of an RTMPose config in its ``default_scope`` (``'rtmpose'`` for ours), without the
    pretrained-backbone download, load ``checkpoint`` when given, sync-BN reverted, in eval mode."""
    from mmengine.config import Config
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import DefaultScope
    from mmengine.runner import load_checkpoint
    from mmpose.registry import MODELS

    cfg = Config.fromfile(str(config))
    model_cfg = cfg.model
    if 'init_cfg' in model_cfg.get('backbone', {}):
        model_cfg.backbone.init_cfg = None
    model_cfg.pop('train_cfg', None)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'rtmpose')):
        model = MODELS.build(model_cfg)
    model = revert_sync_batchnorm(model)
    if checkpoint is not None:
        load_checkpoint(model, str(checkpoint), map_location='cpu')
    model.cfg = cfg
    return model.to(device).eval()


def simcc_wrapper(model):
    """``nn.Module`` with ``forward(image) -> (simcc_x, simcc_y) = model.head(model.extract_feat(image))``."""
    import torch

    class SimCCNet(torch.nn.Module):
        def __init__(self, pose_model):
            super().__init__()
            self.model = pose_model

        def forward(self, image):
            simcc_x, simcc_y = self.model.head(self.model.extract_feat(image))
            return simcc_x, simcc_y

    return SimCCNet(model).eval()


def peaked_simcc_wrapper(model, calib_inputs: Any = None, noise: float = 0.1, sigma: float = 6.0):
    """Like :func:`simcc_wrapper`, with the SimCC vectors replaced by ``peaks + noise * head / std(head)``.

    A randomly initialised RTMPose puts its keypoints anywhere in the crop, so poses cannot be followed from frame
    to frame. This gives every crop one Gaussian peak (``sigma`` bins, height 1) per keypoint at
    :data:`PEAK_LAYOUT`, plus the real head's output scaled to a standard deviation of ``noise``: the whole
    RTMPose graph still runs (same cost), the argmax moves by a few bins with the image content (jitter), and
    the keypoint scores are about 1.

    Args:
        calib_inputs: ``(N, 3, h, w)`` crops on which the head's standard deviation is measured (default: 4
            random normal inputs).
    """
    import numpy as np
    import torch

    width, height = model.head.decoder.input_size
    ratio = float(model.head.decoder.simcc_split_ratio)
    layout = np.asarray(PEAK_LAYOUT, dtype=np.float64) * [width, height]

    def peaks(centers: np.ndarray, bins: int) -> torch.Tensor:
        grid = np.arange(bins, dtype=np.float64)
        mu = np.rint(centers * ratio)[:, None]
        return torch.from_numpy(np.exp(-(grid - mu) ** 2 / (2 * sigma ** 2)).astype(np.float32))

    with torch.no_grad():
        calib = torch.randn(4, 3, height, width) if calib_inputs is None else torch.as_tensor(calib_inputs)
        raw_x, raw_y = model.head(model.extract_feat(calib.float()))
        scale = float(noise) / max(float(torch.cat([raw_x.flatten(), raw_y.flatten()]).std()), 1e-6)

    class PeakedSimCCNet(torch.nn.Module):
        def __init__(self, pose_model):
            super().__init__()
            self.model = pose_model
            self.register_buffer('peak_x', peaks(layout[:, 0], int(width * ratio)))
            self.register_buffer('peak_y', peaks(layout[:, 1], int(height * ratio)))
            self.scale = scale

        def forward(self, image):
            simcc_x, simcc_y = self.model.head(self.model.extract_feat(image))
            return simcc_x * self.scale + self.peak_x, simcc_y * self.scale + self.peak_y

    return PeakedSimCCNet(model).eval()


def export_rtmpose_onnx(config: str | Path, out_file: str | Path, checkpoint: str | Path | None = None,
                        model: Any = None, opset_version: int = 17, seed: int = 0, peaked: bool = False,
                        calib_inputs: Any = None) -> Path:
    """Export an RTMPose model to ONNX (MMDeploy's input/output names, dynamic batch axis).

    Args:
        config: RTMPose config (``configs/rtmpose-t_coco.py``...); gives the input size.
        out_file: ONNX file to write (its folder is created).
        checkpoint: weights to load; ``None`` keeps the random initialisation (seeded with ``seed``).
        model: an already built model to export instead of building one from ``config``.
        opset_version: ONNX opset.
        peaked: export :func:`peaked_simcc_wrapper` (for pipelines and trackers tested without trained weights).
        calib_inputs: crops for ``peaked``'s noise calibration.

    Returns:
        ``out_file``.
    """
    import torch

    if model is None:
        torch.manual_seed(seed)
        model = build_rtmpose_model(config, checkpoint)
    width, height = model.head.decoder.input_size if hasattr(model.head, 'decoder') else (192, 256)
    net = peaked_simcc_wrapper(model, calib_inputs) if peaked else simcc_wrapper(model)
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_name(out_file.name + '.tmp')
    with torch.no_grad():
        torch.onnx.export(net, (torch.zeros(1, 3, height, width),), str(tmp), dynamo=False, input_names=['input'],
                          output_names=['simcc_x', 'simcc_y'], opset_version=opset_version,
                          dynamic_axes={'input': {0: 'batch'}, 'simcc_x': {0: 'batch'}, 'simcc_y': {0: 'batch'}})
    tmp.replace(out_file)
    return out_file


def strip_detector_nms(onnx_file: str | Path, out_file: str | Path) -> Path:
    """Cut an MMDeploy detection ONNX (``dets``/``labels`` from an in-graph ``NonMaxSuppression``) before its NMS.

    The tensors feeding the NMS are followed back through the reshapes/gathers of MMDeploy's pre-NMS top-k to the
    decoded boxes ``(B, N, 4)`` (input pixels) and the sigmoid class scores ``(B, N, C)`` (a ``Where`` that zeroes
    scores under the export's score threshold is skipped: RTMDetNCNN applies its own threshold). The new model
    outputs them as ``boxes`` and ``scores``.

    Raises:
        ValueError: the graph has no ``NonMaxSuppression`` node.
    """
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(onnx_file))
    graph = model.graph
    producer = {out: node for node in graph.node for out in node.output}
    nms = [node for node in graph.node if node.op_type == 'NonMaxSuppression']
    if not nms:
        raise ValueError(f'{str(onnx_file)!r} has no NonMaxSuppression node: nothing to strip')

    def source(tensor: str) -> str:
        while tensor in producer:
            node = producer[tensor]
            if node.op_type in _PASS_THROUGH:
                tensor = node.input[0]
            elif node.op_type == 'Where':  # score threshold: where(score < thr, 0, score) or the like
                tensor = node.input[1] if node.input[1] in producer else node.input[2]
            else:
                break
        return tensor

    boxes, scores = source(nms[0].input[0]), source(nms[0].input[1])
    keep: set[int] = set()
    stack = [boxes, scores]
    index = {id(node): i for i, node in enumerate(graph.node)}
    while stack:
        node = producer.get(stack.pop())
        if node is None or index[id(node)] in keep:
            continue
        keep.add(index[id(node)])
        stack.extend(node.input)
    nodes = [node for i, node in enumerate(graph.node) if i in keep]
    used = {name for node in nodes for name in node.input}
    nodes += [helper.make_node('Identity', [boxes], ['boxes']), helper.make_node('Identity', [scores], ['scores'])]
    outputs = [helper.make_tensor_value_info('boxes', TensorProto.FLOAT, ['batch', 'num_boxes', 4]),
               helper.make_tensor_value_info('scores', TensorProto.FLOAT, ['batch', 'num_boxes', 'num_classes'])]
    new_graph = helper.make_graph(nodes, graph.name + '_no_nms', list(graph.input), outputs,
                                  [init for init in graph.initializer if init.name in used])
    new_model = helper.make_model(new_graph, opset_imports=model.opset_import, ir_version=model.ir_version,
                                  producer_name='rtmpose.inference.export')
    onnx.checker.check_model(new_model)
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(new_model, str(out_file))
    return out_file


def onnx_to_ncnn(onnx_file: str | Path, out_prefix: str | Path, input_shape: Sequence[int],
                 fp16: bool = True, timeout: float = 600) -> tuple[Path, Path]:
    """Convert ONNX to ``out_prefix.param`` / ``out_prefix.bin`` with pnnx (its side files go to a temp folder).

    Args:
        input_shape: ``[1, C, H, W]`` (ncnn has no batch axis).
        fp16: store weights as fp16 (pnnx's default).

    Raises:
        RuntimeError: pnnx is not installed or failed (its output is in the message).
    """
    try:
        import pnnx
    except ImportError as err:
        raise RuntimeError('ncnn conversion needs the `pnnx` package: pip install pnnx') from err
    out_prefix = Path(out_prefix)
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    param, weights = Path(f'{out_prefix}.param'), Path(f'{out_prefix}.bin')
    shape = ','.join(str(int(v)) for v in input_shape)
    with tempfile.TemporaryDirectory() as scratch:
        side = Path(scratch)
        shutil.copyfile(onnx_file, side / 'model.onnx')
        command = [pnnx.EXEC_PATH, str(side / 'model.onnx'), f'inputshape=[{shape}]f32', f'fp16={int(fp16)}',
                   f'ncnnparam={param.resolve()}', f'ncnnbin={weights.resolve()}', f'ncnnpy={side / "m_ncnn.py"}',
                   f'pnnxparam={side / "m.pnnx.param"}', f'pnnxbin={side / "m.pnnx.bin"}',
                   f'pnnxpy={side / "m_pnnx.py"}', f'pnnxonnx={side / "m.pnnx.onnx"}']
        run = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=timeout)
    if run.returncode != 0 or not param.is_file() or not weights.is_file():
        raise RuntimeError(f'pnnx failed on {onnx_file} (exit {run.returncode}):\n{run.stdout[-2000:]}\n'
                           f'{run.stderr[-2000:]}')
    return param, weights


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m rtmpose.inference.export', description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    pose = sub.add_parser('rtmpose-onnx', help='RTMPose config (+ checkpoint) -> ONNX (simcc_x, simcc_y)')
    pose.add_argument('config')
    pose.add_argument('out')
    pose.add_argument('--checkpoint')
    pose.add_argument('--peaked', action='store_true', help='synthetic peaked SimCC (random-weight pipeline tests)')
    strip = sub.add_parser('strip-nms', help='MMDeploy RTMDet ONNX -> the graph before its NMS (for ncnn)')
    strip.add_argument('onnx')
    strip.add_argument('out')
    to_ncnn = sub.add_parser('ncnn', help='ONNX -> ncnn .param/.bin with pnnx')
    to_ncnn.add_argument('onnx')
    to_ncnn.add_argument('out_prefix')
    to_ncnn.add_argument('--shape', required=True, help='input shape, e.g. 1,3,256,192')
    to_ncnn.add_argument('--fp32', action='store_true', help='store fp32 weights (default fp16)')
    args = parser.parse_args(argv)
    if args.command == 'rtmpose-onnx':
        print(export_rtmpose_onnx(args.config, args.out, args.checkpoint, peaked=args.peaked))
    elif args.command == 'strip-nms':
        print(strip_detector_nms(args.onnx, args.out))
    else:
        print(*onnx_to_ncnn(args.onnx, args.out_prefix, [int(v) for v in args.shape.split(',')], not args.fp32))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

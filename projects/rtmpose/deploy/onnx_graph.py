"""ONNX graph surgery: an MMDeploy detection export cut before its in-graph NMS, for runtimes without
NonMaxSuppression (ncnn, through pnnx); the detector then runs the NMS itself
(:func:`rtmpose.inference.box_nms.nms_dets`).

    python -m rtmpose.deploy.onnx_graph rtmdet-nano-person/end2end.onnx rtmdet-nano-raw.onnx
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

#: Ops that only carry the boxes/scores through to MMDeploy's NMS (followed backwards from the NMS inputs).
_PASS_THROUGH = {'Reshape', 'Gather', 'Flatten', 'Transpose', 'Unsqueeze', 'Squeeze', 'Identity', 'Cast'}


def strip_detector_nms(onnx_file: str | Path, out_file: str | Path) -> Path:
    """Cut an MMDeploy detection ONNX (``dets``/``labels`` from an in-graph ``NonMaxSuppression``) before its NMS.

    The tensors feeding the NMS are followed back through the reshapes/gathers of MMDeploy's pre-NMS top-k to the
    decoded boxes ``(B, N, 4)`` (input pixels) and the sigmoid class scores ``(B, N, C)`` (a ``Where`` that zeroes
    scores under the export's score threshold is skipped: the detector applies its own threshold). The new model
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
                                  producer_name='rtmpose.deploy.onnx_graph')
    onnx.checker.check_model(new_model)
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(new_model, str(out_file))
    return out_file


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m rtmpose.deploy.onnx_graph',
                                     description='MMDeploy RTMDet ONNX -> the graph before its NMS (for ncnn)')
    parser.add_argument('onnx')
    parser.add_argument('out')
    args = parser.parse_args(argv)
    print(strip_detector_nms(args.onnx, args.out))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

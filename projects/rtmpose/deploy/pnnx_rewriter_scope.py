"""Hide MMDeploy's onnx2ncnn-specific rewriters while exporting an ONNX graph that pnnx turns into ncnn."""
import contextlib
from collections.abc import Iterator

from mmdeploy.core import FUNCTION_REWRITER, SYMBOLIC_REWRITER
from mmdeploy.core.rewriters.rewriter_utils import BackendChecker
from mmdeploy.utils import Backend


@contextlib.contextmanager
def pnnx_ncnn_rewriters() -> Iterator[None]:
    """Within the block, the only ncnn-specific rewriters are ours (``rtmpose.*``).

    MMDeploy's ncnn rewriters were written for its own ``mmdeploy_onnx2ncnn`` converter, which the PyPI wheel does
    not ship: some emit custom ops only that converter understands (``mmdeploy::AdaptiveAvgPool2d`` for the
    channel attention's pooling, a ``DetectionOutput`` for mmdet heads) and others drop the batch axis from shapes
    the way onnx2ncnn expects. pnnx, which converts instead, reads standard batched ONNX, so during the ncnn export
    MMDeploy's ncnn records are taken out of the rewriter registries (its default rewriters stay active) and put
    back afterwards, in place.
    """
    registries = (FUNCTION_REWRITER._registry, SYMBOLIC_REWRITER._registry)
    hidden: list[tuple[list, int, dict]] = []
    for registry in registries:
        for records in registry._rewrite_records.values():
            for index, record in reversed(list(enumerate(records))):
                if _is_foreign_ncnn(record):
                    hidden.append((records, index, records.pop(index)))
    try:
        yield
    finally:
        for records, index, record in reversed(hidden):
            records.insert(index, record)


def _is_foreign_ncnn(record: dict) -> bool:
    """An ncnn-only rewriter that is not defined in the ``rtmpose`` package."""
    ncnn_only = any(isinstance(c, BackendChecker) and c.required_backend == Backend.NCNN for c in record['_checkers'])
    return ncnn_only and not getattr(record['_object'], '__module__', '').startswith('rtmpose.')

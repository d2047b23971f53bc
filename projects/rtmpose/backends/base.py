"""The one interface every runtime implements: a batch of arrays in, arrays out."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import ClassVar, NamedTuple

import numpy as np


class Port(NamedTuple):
    """A network input or output: ``shape`` holds ints for static axes and names for dynamic ones."""

    name: str
    shape: tuple[int | str, ...]


class Backend(ABC):
    """One network loaded by one runtime.

    Subclasses open the network, set :attr:`inputs` / :attr:`outputs` and implement :meth:`forward` (one call of the
    runtime). :meth:`__call__` runs a stack of inputs in as few calls as the network allows:

    - static batch ``B`` in the input shape: chunks of ``B``, the last one padded by repeating its last item;
    - dynamic batch: one call (or chunks of ``max_batch_size``). Some exports declare a dynamic batch axis but fail
      for batches above 1 (the MMDeploy RTMDet export's NMS does); the first such failure switches this runtime to
      one item per call for good (:attr:`batches` becomes ``False``).

    Attributes:
        name: the runtime's name (``'onnxruntime'``...).
        source: the file (or module) the network came from, for messages.
        inputs, outputs: the network's ports; the first input is the one fed.
        max_batch_size: cap on items per call (``None``: as many as given).
        batches: whether a dynamic batch axis really batches.
    """

    name: ClassVar[str]
    source: str
    inputs: list[Port]
    outputs: list[Port]

    def __init__(self, max_batch_size: int | None = None) -> None:
        if max_batch_size is not None and int(max_batch_size) < 1:
            raise ValueError(f'max_batch_size must be a positive integer or None, got {max_batch_size!r}')
        self.max_batch_size = None if max_batch_size is None else int(max_batch_size)
        self.batches = True

    @property
    def output_names(self) -> list[str]:
        return [port.name for port in self.outputs]

    @property
    def static_batch(self) -> int | None:
        """The batch size fixed in the input shape, or ``None`` for a dynamic batch axis."""
        batch = self.inputs[0].shape[0] if self.inputs[0].shape else None
        return batch if isinstance(batch, int) and batch > 0 else None

    @abstractmethod
    def forward(self, inputs: np.ndarray, output_names: Sequence[str]) -> list[np.ndarray]:
        """One call of the runtime on ``inputs`` ``(B, ...)`` float32 of a batch size it accepts; returns the outputs
        ``output_names`` in that order, as arrays the caller owns."""

    def __call__(self, inputs: np.ndarray, output_names: Sequence[str] | None = None) -> list[np.ndarray]:
        """Run ``inputs`` ``(M, ...)`` (``M >= 1``); returns the outputs ``output_names`` (default: all), each
        ``(M, ...)`` (outputs whose size varies per item, like a detector's boxes, need :meth:`run_chunks`)."""
        parts = [outputs for _, outputs in self.run_chunks(inputs, output_names)]
        if len(parts) == 1:
            return parts[0]
        return [np.concatenate(outputs) for outputs in zip(*parts)]

    def run_chunks(self, inputs: np.ndarray,
                   output_names: Sequence[str] | None = None) -> Iterator[tuple[int, list[np.ndarray]]]:
        """Run ``inputs`` ``(M, ...)`` in as few calls as allowed; yields ``(start, outputs)`` per call, the outputs
        trimmed to the call's real items (no padding)."""
        inputs = np.ascontiguousarray(inputs, dtype=np.float32)
        if len(inputs) == 0:
            raise ValueError(f'{self.source}: no inputs to run (an empty batch)')
        names = list(output_names or self.output_names)
        start = 0
        while start < len(inputs):
            step = self.static_batch or ((self.max_batch_size or len(inputs)) if self.batches else 1)
            chunk = inputs[start:start + step]
            used = len(chunk)
            if self.static_batch and used < self.static_batch:
                chunk = np.concatenate([chunk, np.repeat(chunk[-1:], self.static_batch - used, axis=0)])
            try:
                outputs = self.forward(chunk, names)
            except Exception:
                if self.static_batch or used == 1:
                    raise
                self.batches = False  # a dynamic axis that does not really batch: item by item from now on
                continue
            yield start, [out[:used] for out in outputs]
            start += used

"""The one interface every backend implements (a batch of arrays in, arrays out), and the facts each declares."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np


class Port(NamedTuple):
    """A network input or output: ``shape`` holds ints for static axes and names for dynamic ones."""

    name: str
    shape: tuple[int | str, ...]


@dataclass(frozen=True)
class BackendFacts:
    """What the package knows about a backend besides running it, declared once by its class
    (:attr:`Backend.facts`). Every list of backends derives from these: the names ``backend=`` takes, which model
    file is for which backend, the hint for a model that is not, the model table's files, the web demo's choices and
    what ``tools/deploy.py`` converts.

    Attributes:
        name: the backend's name, MMDeploy's where it has one (``'onnxruntime'``).
        aliases: other names ``backend=`` accepts (``'ort'``).
        suffixes: model file suffixes that are this backend's own (``'.param'``); the backend that owns ``'.onnx'``
            is the default one, for files of any other suffix and for model names.
        folder_files: glob patterns of the files that make a folder (an MMDeploy SDK folder, a ``tools/deploy.py``
            work dir) this backend's when its ``deploy.json`` does not say.
        sdk_net: the network's file in such a folder when ``deploy.json`` names none (``'end2end.onnx'``).
        runs_onnx: takes ONNX files and ONNX SDK folders (so the model table's SDK zips run on it).
        gpu_only: runs on a CUDA device only.
        hint: how to get a model for this backend, told with a model that is not; ``{onnx}`` (the model's ONNX file)
            and ``{input_shape}`` (its ``1,3,h,w``) are filled in.
        converter: the function of :mod:`rtmpose.deploy` (``'module.function'``) that makes this backend's files
            from the exported ONNX for ``tools/deploy.py`` (MMDeploy deploy configs of ``backend_config.type``
            ``name``), called with the request's :class:`~rtmpose.deploy.artifacts.Artifacts`, deploy config and
            device; ``None``: ``tools/deploy.py`` does not convert for it.
        converter_packages: the Python packages that conversion imports, checked before a deploy starts.
    """

    name: str
    hint: str
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    folder_files: tuple[str, ...] = ()
    sdk_net: str | None = None
    runs_onnx: bool = False
    gpu_only: bool = False
    converter: str | None = None
    converter_packages: tuple[str, ...] = ()


class Backend(ABC):
    """One network loaded by one backend.

    Subclasses declare :attr:`facts`, open the network, set :attr:`inputs` / :attr:`outputs` and implement
    :meth:`forward` (one call of the engine). :meth:`__call__` runs a stack of inputs in as few calls as the network
    allows:

    - static batch ``B`` in the input shape: chunks of ``B``, the last one padded by repeating its last item;
    - dynamic batch: one call (or chunks of ``max_batch_size``). Some exports declare a dynamic batch axis but fail
      for batches above 1 (the MMDeploy RTMDet export's NMS does); the first such failure switches this backend to
      one item per call for good (:attr:`batches` becomes ``False``).

    Attributes:
        facts: the backend's :class:`BackendFacts` (a subclass that declares none is not listed among the backends).
        name: the backend's name (``'onnxruntime'``...), ``facts.name``.
        source: the file (or module) the network came from, for messages.
        inputs, outputs: the network's ports; the first input is the one fed.
        max_batch_size: cap on items per call (``None``: as many as given).
        batches: whether a dynamic batch axis really batches.
    """

    facts: ClassVar[BackendFacts]
    name: ClassVar[str]
    source: str
    inputs: list[Port]
    outputs: list[Port]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if 'facts' in cls.__dict__:
            cls.name = cls.facts.name

    @classmethod
    def unavailable(cls, device: str) -> str | None:
        """Why this backend cannot run on ``device`` here (the message names the fix), or ``None`` when it can;
        checked before any work, without touching a model file."""
        return None

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
        """One call of the engine on ``inputs`` ``(B, ...)`` float32 of a batch size it accepts; returns the outputs
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

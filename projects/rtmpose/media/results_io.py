"""Pose results in COCO's results format, written incrementally so that a crash or Ctrl-C keeps what was done.

One record per person and frame::

    {"image_id": 785, "category_id": 1, "keypoints": [x, y, score] * K, "score": 0.93,
     "frame_index": 0, "track_id": 3, "bbox": [x, y, w, h]}

(``bbox`` in COCO's ``x, y, width, height``; ``score`` is the mean keypoint score.) :class:`IncrementalResults`
appends the records of each frame to ``<name>.jsonl`` and flushes it, and :meth:`IncrementalResults.finalize`
turns it into the JSON array ``<name>.json`` (written to a temporary file, then renamed) and deletes the
``.jsonl``. If the process dies before that, the ``.jsonl`` holds every finished frame;
:func:`read_results` reads either file. :func:`write_categories` writes the COCO category beside them: the
keypoint names and skeleton of the model's keypoint set, which the records' ``keypoints`` follow.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..utils.atomic_write import atomic_write


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, 0.0)


def person_record(person: Any, image_id: int | str, frame_index: int, decimals: int = 2) -> dict[str, Any]:
    """The COCO results record of one :class:`~rtmpose.inference.PersonPose`."""
    kpts = _finite(np.asarray(person.keypoints, dtype=np.float64).reshape(-1, 2))
    scores = _finite(np.asarray(person.scores, dtype=np.float64).reshape(-1))
    triplets = np.concatenate([np.round(kpts, decimals), np.round(scores[:, None], 4)], axis=1)
    x1, y1, x2, y2 = _finite(np.asarray(person.bbox, dtype=np.float64).reshape(4))
    return {'image_id': image_id, 'category_id': 1, 'keypoints': [float(v) for v in triplets.reshape(-1)],
            'score': round(float(_finite(np.asarray([person.score]))[0]), 4), 'frame_index': int(frame_index),
            'track_id': int(person.track_id),
            'bbox': [round(float(v), decimals) for v in (x1, y1, x2 - x1, y2 - y1)]}


class IncrementalResults:
    """Append-only writer of COCO results: ``<path>.jsonl`` while running, ``<path>`` (a JSON array) at the end.

    Args:
        path: the final ``.json`` file; its folder is created.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.partial = self.path.with_suffix(self.path.suffix + 'l')  # results.json -> results.jsonl
        self._file = self.partial.open('w', encoding='utf-8')
        self.count = 0
        self.frames = 0
        self.finalized = False

    def add_frame(self, people: Sequence[Any], image_id: int | str, frame_index: int,
                  extra: dict[str, Any] | None = None) -> None:
        """Write the records of one frame and flush them to disk."""
        lines = []
        for person in people:
            record = person_record(person, image_id, frame_index)
            if extra:
                record.update(extra)
            lines.append(json.dumps(record, allow_nan=False) + '\n')
        self._file.write(''.join(lines))  # one write per frame
        self._file.flush()
        self.count += len(lines)
        self.frames += 1

    def finalize(self) -> Path:
        """Close the ``.jsonl``, write the JSON array atomically and remove the ``.jsonl``; idempotent.

        Raises:
            OSError: the array cannot be written (e.g. the disk is full); the ``.jsonl`` is kept, with every frame
                :meth:`add_frame` wrote.
        """
        if self.finalized:
            return self.path
        try:
            self._file.close()
        except OSError:  # a frame whose flush failed (a full disk) is not counted in `frames`: the file is complete
            pass
        records = read_results(self.partial)
        with atomic_write(self.path, 'w') as f:
            json.dump(records, f)
        self.partial.unlink(missing_ok=True)
        self.finalized = True
        return self.path


def write_categories(path: str | Path, keypoint_set: Any) -> Path:
    """Write ``{"categories": [{"id": 1, "name", "keypoints": [K names], "skeleton": [[i, j] 1-based]}]}`` (the
    ``categories`` of a COCO keypoint annotation file) for a :class:`~rtmpose.metainfo.KeypointSet`."""
    path = Path(path)
    category = {'id': 1, 'name': keypoint_set.name, 'supercategory': keypoint_set.name,
                'keypoints': list(keypoint_set.keypoint_names), 'skeleton': keypoint_set.coco_skeleton()}
    path.write_text(json.dumps({'categories': [category]}), encoding='utf-8')
    return path


def read_results(path: str | Path) -> list[dict[str, Any]]:
    """Records from a finished ``.json`` array or a ``.jsonl`` of a run that did not finish (a last line cut
    short by the crash is ignored)."""
    path = Path(path)
    text = path.read_text(encoding='utf-8')
    if path.suffix == '.json':
        return json.loads(text)
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            break
    return records

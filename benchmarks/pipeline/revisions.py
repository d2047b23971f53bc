"""``pipeline_speed.py --compare-rev``: the working tree's pipeline against other git revisions' in one interleaved
run.

Each revision's ``projects/rtmpose`` is unpacked by ``git archive`` into a temporary folder outside the repository;
every side, the working tree included, runs in its own process (:mod:`.rev_worker`, the same code for all, only
``PYTHONPATH`` differs), so that no side runs in the process that exported the models. The sides take turns chunk
by chunk (:func:`rtmpose.deploy.timing.interleaved_times`, the order rotating), over ``passes`` passes of the
frames; the speed ratio of the working tree over a revision is the median over chunks of their time ratio
(:func:`rtmpose.deploy.timing.paired_ratio`), robust to load that drifts during the run. The ratio of the CPU time
each side's process spent on the same chunks is given too: on a loaded machine the wall time also counts the waits
for a core, the CPU time mostly not (with one thread per model it is the work done; with more, ONNX Runtime's
threads also count their waits at its barriers).
"""
from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rtmpose.deploy.timing import interleaved_times, paired_ratio

from .workload import REPO, shown

WORKING_TREE = 'working tree'


def export_revision(rev: str, dest: Path) -> tuple[str, Path]:
    """The short hash of ``rev`` and the folder holding its ``rtmpose`` package (``git archive`` into ``dest``)."""
    short = subprocess.run(['git', '-C', str(REPO), 'rev-parse', '--short', rev], capture_output=True, text=True,
                           check=True).stdout.strip()
    archive = subprocess.run(['git', '-C', str(REPO), 'archive', '--format=tar', rev, 'projects/rtmpose'],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter='data')
    return short, dest / 'projects'


class Worker:
    """A :mod:`.rev_worker` process running the package under ``package_parent``."""

    def __init__(self, package_parent: Path, pose_path: Path, frames: int, threads: int, det_interval: int):
        env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(package_parent), os.environ.get('PYTHONPATH', '')])}
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'pipeline.rev_worker', str(pose_path), str(frames), str(threads), str(det_interval)],
            cwd=REPO / 'benchmarks', env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.package = self._read()['package']
        if not Path(self.package).is_relative_to(package_parent):
            self.close()
            raise RuntimeError(f'the worker imported rtmpose from {self.package}, not from {package_parent}')

    def _read(self) -> dict[str, Any]:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f'the worker exited with status {self.process.wait()} (its error is above)')
        return json.loads(line)

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        self.process.stdin.write(json.dumps(command) + '\n')
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _runner(worker: Worker, chunks: list[tuple[int, int]], cpu_s: list[float]) -> Callable[[], None]:
    """A callable that makes ``worker`` run the next chunk each time it is called, its CPU seconds appended to
    ``cpu_s``."""
    remaining = iter(chunks)

    def run_next_chunk() -> None:
        cpu_s.append(worker.ask({'chunk': next(remaining)})['cpu_seconds'])

    return run_next_chunk


def _side_results(times_ms: list[float], cpu_s: list[float], chunks: list[tuple[int, int]], summary: dict) -> dict:
    frames = sum(stop - start for start, stop in chunks)
    stage_s = summary['stage_s']
    return {'fps': 1000 * frames / sum(times_ms),
            'median_chunk_fps': statistics.median(1000 * (b - a) / t for (a, b), t in zip(chunks, times_ms)),
            'cpu_ms_per_frame': 1000 * sum(cpu_s) / frames,
            'stage_ms_per_frame': {stage: 1000 * seconds / frames for stage, seconds in stage_s.items()},
            'persons_per_frame': summary['persons'] / frames, 'det_frames': summary['det_frames']}


def compare_revisions(revs: list[str], pose_path: Path, frames: int, threads: int, det_interval: int, chunk: int,
                      passes: int) -> dict:
    """FPS, stage times and the working tree's speed ratio over each of ``revs``, run interleaved."""
    chunks = [(start, min(start + chunk, frames)) for start in range(0, frames, chunk)] * passes
    with tempfile.TemporaryDirectory(prefix='rtmpose-revisions-') as tmp:
        parents = {WORKING_TREE: REPO / 'projects'}
        for rev in revs:
            short, parent = export_revision(rev, Path(tmp) / rev.replace('/', '_'))
            parents[short if rev == short else f'{rev} ({short})'] = parent
        workers: dict[str, Worker] = {}
        try:
            for name, parent in parents.items():
                workers[name] = Worker(parent, pose_path, frames, threads, det_interval)
            cpu = {name: [] for name in workers}
            load_before = [round(v, 2) for v in os.getloadavg()]
            times = interleaved_times({name: _runner(w, chunks, cpu[name]) for name, w in workers.items()},
                                      rounds=len(chunks), warmup=0)
            load_after = [round(v, 2) for v in os.getloadavg()]
            sides = {name: _side_results(times[name], cpu[name], chunks, w.ask({'summary': True}))
                     for name, w in workers.items()}
        finally:
            for worker in workers.values():
                worker.close()
    others = [name for name in sides if name != WORKING_TREE]
    return {'pose_onnx': shown(pose_path), 'frames': frames, 'passes': passes, 'chunk': chunk, 'threads': threads,
            'det_interval': det_interval, 'load_before': load_before, 'load_after': load_after, 'sides': sides,
            'working_tree_speedup_over': {name: paired_ratio(times[name], times[WORKING_TREE]) for name in others},
            'working_tree_cpu_speedup_over': {name: paired_ratio(cpu[name], cpu[WORKING_TREE]) for name in others}}


def markdown(result: dict) -> str:
    """The comparison as a markdown table."""
    stages = list(next(iter(result['sides'].values()))['stage_ms_per_frame'])
    lines = [f"`{result['pose_onnx']}`, detector every {result['det_interval']} frame(s), {result['frames']} frames "
             f"x {result['passes']} passes, chunks of {result['chunk']} interleaved, {result['threads']} threads per "
             f"model, load average before/after: {result['load_before']} / {result['load_after']}.", '',
             '| side | FPS | median chunk FPS | working tree speed-up (median chunk ratio) | CPU ms/frame | working '
             'tree CPU speed-up | persons/frame | ' + ' | '.join(f'{stage} ms' for stage in stages) + ' |',
             '|---|---:|---:|---:|---:|---:|---:|' + '---:|' * len(stages)]
    for name, side in result['sides'].items():
        ratio, cpu_ratio = (result[key].get(name) for key in ('working_tree_speedup_over',
                                                               'working_tree_cpu_speedup_over'))
        cells = ' | '.join(f"{side['stage_ms_per_frame'].get(stage, float('nan')):.2f}" for stage in stages)
        lines.append(f"| {name} | {side['fps']:.2f} | {side['median_chunk_fps']:.2f} | "
                     f"{'' if ratio is None else f'{ratio:.3f}x'} | {side['cpu_ms_per_frame']:.1f} | "
                     f"{'' if cpu_ratio is None else f'{cpu_ratio:.3f}x'} | {side['persons_per_frame']:.2f} | "
                     f"{cells} |")
    return '\n'.join(lines) + '\n'

"""One run at a time in a work dir: a second run into a work dir in use stops, naming the run that uses it."""
import json
import os
import os.path as osp
import shlex
import shutil
import socket
import sys
import time

from filelock import FileLock, Timeout
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from ...registry import HOOKS
from ...utils.atomic_write import atomic_write

#: the lock (held by a live run, released by the operating system when its process ends, however it ends) and the
#: record of the run holding it, both in the work dir
LOCK_FILE = '.rtmpose_run.lock'
OWNER_FILE = '.rtmpose_run.json'

#: work dirs (real paths) whose lock this process holds
_HELD: dict[str, FileLock] = {}


class WorkDirInUseError(RuntimeError):
    """Another live run writes into the work dir of this one."""


def lock_work_dir(work_dir: str, log_dir: str, config_dump: str | None) -> None:
    """Take the lock of ``work_dir`` for this process and record who holds it (pid, host, start, command, and the
    run's log folder and config dump).

    Raises:
        WorkDirInUseError: another process holds it; the message names that run.
    """
    key = osp.realpath(work_dir)
    if key in _HELD:  # a run of this process that stopped without after_run: runs in one process follow each other
        _HELD.pop(key).release()
    lock = FileLock(osp.join(work_dir, LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise WorkDirInUseError(_in_use_message(work_dir, log_dir, read_owner(work_dir))) from None
    _HELD[key] = lock
    owner = dict(pid=os.getpid(), host=socket.gethostname(), started=time.strftime('%Y-%m-%d %H:%M:%S %Z'),
                 command=shlex.join(getattr(sys, 'orig_argv', sys.argv)), log_dir=log_dir, config_dump=config_dump)
    with atomic_write(osp.join(work_dir, OWNER_FILE), 'w') as f:
        json.dump(owner, f, indent=2)


def unlock_work_dir(work_dir: str) -> None:
    """Release the lock of ``work_dir`` if this process holds it."""
    lock = _HELD.pop(osp.realpath(work_dir), None)
    if lock is not None:
        lock.release()


def read_owner(work_dir: str) -> dict:
    """The record of the run that holds (or last held) the lock of ``work_dir``; empty when there is none."""
    try:
        with open(osp.join(work_dir, OWNER_FILE)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _in_use_message(work_dir: str, log_dir: str, owner: dict) -> str:
    who = (f'pid {owner.get("pid")} on {owner.get("host")}, started {owner.get("started")}: {owner.get("command")}'
           if owner else 'its record is not written yet')
    return (f'{work_dir} is in use by another run ({who}). Two runs in one work dir would mix their checkpoints, '
            f'logs and config dump, so this one stopped before writing anything but its own log folder {log_dir}. '
            'Pass another --work-dir, or wait for that run to end (or stop it).')


def _restore_config_dump(config_dump: str | None, owner: dict) -> None:
    """Put back the config dump of the run holding the lock where this run's dump (mmengine writes it when the
    runner is built, before any hook runs) replaced it; the holder's log folder keeps a copy."""
    copy = osp.join(owner.get('log_dir') or '', 'vis_data', 'config.py')
    if config_dump is not None and config_dump == owner.get('config_dump') and osp.isfile(copy):
        with open(copy, 'rb') as src, atomic_write(config_dump) as dst:
            shutil.copyfileobj(src, dst)


@HOOKS.register_module()
class WorkDirLockHook(Hook):
    """Refuse a run into a work dir that a live run writes into, with
    :class:`WorkDirInUseError` naming that run (pid, host, start time, command).

    The first process of the job (rank 0) holds a lock file in the work dir from ``before_run`` to ``after_run``;
    the other ranks of the same job do not take it. The operating system releases it when the process ends, so a
    killed run leaves nothing stale: ``--resume`` after a crash is not refused.

    mmengine's ``Runner`` writes its log folder (``<work_dir>/<timestamp>/``) and the config dump
    (``<work_dir>/<config name>.py``) while it is being built, before any hook is called: a refused run leaves its
    own log folder (with the message) and puts the other run's config dump back.
    """

    priority = 'HIGHEST'  # before any other hook touches the work dir (e.g. removing a killed write's .part files)

    def before_run(self, runner) -> None:
        if not is_main_process():
            return
        # where Runner.dump_config wrote this run's config
        config_dump = osp.join(runner.work_dir, osp.basename(runner.cfg.filename)) if runner.cfg.filename else None
        try:
            lock_work_dir(runner.work_dir, runner.log_dir, config_dump)
        except WorkDirInUseError:
            _restore_config_dump(config_dump, read_owner(runner.work_dir))
            raise

    def after_run(self, runner) -> None:
        if is_main_process():
            unlock_work_dir(runner.work_dir)

"""Draw the training loss and validation AP curves into the work dir as training goes."""
import glob
import json
import os.path as osp

from mmengine.dist import master_only
from mmengine.hooks import Hook

from ...registry import HOOKS
from ...utils.atomic_write import atomic_write


def read_scalars(path: str, metric: str) -> tuple[list[tuple[int, int, float]], list[tuple[int, float]]]:
    """``(iter, epoch, loss)`` per training record and ``(step, value)`` per validation record of ``metric`` in a
    ``vis_data/scalars.json`` (an absent file has none)."""
    loss, values = [], []
    if osp.isfile(path):
        with open(path) as f:
            for record in map(json.loads, f):
                if 'loss' in record:
                    loss.append((record['iter'], record.get('epoch', 0), record['loss']))
                if metric in record:
                    values.append((record['step'], record[metric]))
    return loss, values


def training_history(work_dir: str, log_dir: str, metric: str,
                     resumed: bool) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """``(iter, loss)`` and ``(step, metric)`` of the run logging into ``log_dir`` and, when it ``resumed``, of the
    runs before it in ``work_dir`` (the earlier ``<timestamp>/`` folders, newest first) up to where each later one
    took over: the history a resumed run continues. Folders without training records (a ``mim test`` into the work
    dir, a run killed before it logged) are passed over."""
    loss, values = read_scalars(osp.join(log_dir, 'vis_data', 'scalars.json'), metric)
    earlier = sorted(glob.glob(osp.join(glob.escape(work_dir), '*', 'vis_data', 'scalars.json')), reverse=True)
    earlier = [path for path in earlier if osp.dirname(osp.dirname(path)) < osp.normpath(log_dir)]
    for path in earlier if resumed and loss else []:
        start_iter, start_epoch = loss[0][0], loss[0][1]
        before, before_values = read_scalars(path, metric)
        before = [r for r in before if r[0] < start_iter]
        if not before:
            continue
        loss = before + loss
        values = [v for v in before_values if v[0] < start_epoch] + values
    return [(it, value) for it, _, value in loss], values


@HOOKS.register_module()
class TrainingCurveHook(Hook):
    """After every validation and at the end of training, plot ``loss`` per iteration and ``metric`` per epoch from
    the run's ``vis_data/scalars.json`` into ``<work_dir>/<filename>``; a resumed run's picture starts with the
    history of the runs it continues. In a distributed run only rank 0 draws (the other ranks would race it for the
    same file).

    Args:
        metric: The validation metric to plot (e.g. ``'coco/AP'``).
        filename: PNG file name inside the work dir.
    """

    priority = 'LOWEST'

    def __init__(self, metric: str = 'coco/AP', filename: str = 'training_curves.png') -> None:
        self.metric = metric
        self.filename = filename

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.plot(runner)

    def after_train(self, runner) -> None:
        self.plot(runner)

    @master_only
    def plot(self, runner) -> None:
        loss, metric = training_history(runner.work_dir, runner.log_dir, self.metric, bool(runner._resume))
        if not loss and not metric:
            return
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt

        fig, (ax_loss, ax_metric) = plt.subplots(1, 2, figsize=(11, 4))
        if loss:
            ax_loss.plot(*zip(*loss), lw=1)
        ax_loss.set(xlabel='iteration', ylabel='training loss', title='loss')
        if metric:
            ax_metric.plot(*zip(*metric), marker='o')
        ax_metric.set(xlabel='epoch', ylabel=self.metric, title=self.metric, ylim=(0, 1))
        for ax in (ax_loss, ax_metric):
            ax.grid(alpha=0.3)
        fig.suptitle(osp.basename(runner.work_dir.rstrip('/')))
        fig.tight_layout()
        try:
            with atomic_write(osp.join(runner.work_dir, self.filename)) as f:
                fig.savefig(f, format='png', dpi=100)
        finally:
            plt.close(fig)

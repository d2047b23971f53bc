"""Draw the training loss and validation AP curves into the work dir as training goes."""
import json
import os
import os.path as osp

from mmengine.dist import master_only
from mmengine.hooks import Hook

from ...registry import HOOKS


@HOOKS.register_module()
class TrainingCurveHook(Hook):
    """After every validation and at the end of training, plot ``loss`` per iteration and ``metric`` per epoch from
    the run's ``vis_data/scalars.json`` into ``<work_dir>/<filename>``. In a distributed run only rank 0 draws (the
    other ranks would race it for the same file).

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
        scalars = osp.join(runner.log_dir, 'vis_data', 'scalars.json')
        if not osp.isfile(scalars):
            return
        loss, metric = [], []
        with open(scalars) as f:
            for line in f:
                record = json.loads(line)
                if 'loss' in record:
                    loss.append((record['iter'], record['loss']))
                if self.metric in record:
                    metric.append((record['step'], record[self.metric]))
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
        out = osp.join(runner.work_dir, self.filename)
        fig.savefig(out + '.part.png', dpi=100)
        plt.close(fig)
        os.replace(out + '.part.png', out)

"""MMPose's CocoMetric, registered in the ``rtmpose`` scope, with a clear error for a missing annotation file."""
from mmpose.evaluation import CocoMetric as _CocoMetric

from ..registry import METRICS
from ..utils.preflight import check_annotation_file


@METRICS.register_module(name='CocoMetric')
class CocoMetric(_CocoMetric):
    """Same as :class:`mmpose.evaluation.CocoMetric`; checks ``ann_file`` exists first."""

    def __init__(self, *args, ann_file: str | None = None, **kwargs) -> None:
        check_annotation_file(ann_file, type(self).__name__)
        super().__init__(*args, ann_file=ann_file, **kwargs)

"""Pipeline AP of a detector and a pose model over a COCO-format image set: ``rtmpose pipeline-ap``
(:mod:`rtmpose.apps.pipeline_ap`, where the arguments are described).

    python tools/pipeline_ap.py ANN_FILE --pose POSE_MODEL (--det DET_MODEL | --gt-boxes | --det-file FILE) ...
"""
import sys

from rtmpose.apps.pipeline_ap import main, parse_args

__all__ = ['main', 'parse_args']

if __name__ == '__main__':
    sys.exit(main())

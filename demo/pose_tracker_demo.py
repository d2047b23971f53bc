"""Real-time multi-person pose tracking demo (RTMPose paper, section 3.5): RTMDet + RTMPose + tracking + One-Euro.

    python demo/pose_tracker_demo.py INPUT --pose rtmpose-m [--det DET_MODEL] [--out-dir DIR] ...

The arguments, outputs and exit status are those of :mod:`rtmpose.apps.track` (``--help`` lists them).
"""
import os
import sys

from rtmpose.apps.track import main

if __name__ == '__main__':
    os.environ.setdefault('PYTHONUNBUFFERED', '1')
    sys.exit(main())

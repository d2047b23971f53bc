"""Browser demo of the RTMPose pipeline: upload an image or a video (or use the webcam), choose the pose model and
the runtime, and see the skeleton overlay, the time of each stage, and download the COCO-format JSON.

    python demo/webui.py [--pose MODEL ...] [--det DET_MODEL] [--port 7860] [--host 127.0.0.1] ...

Then open http://127.0.0.1:7860 in a browser. The arguments are those of :mod:`rtmpose.apps.webui` (``--help``
lists them).
"""
import sys

from rtmpose.apps.webui import main

if __name__ == '__main__':
    sys.exit(main())

"""The ``rtmpose`` console command (installed with the package): one subcommand per app.

    rtmpose track INPUT --pose MODEL ...     pose tracking on images, videos, a webcam (demo/pose_tracker_demo.py)
    rtmpose webui [--pose MODEL ...]         the web demo (demo/webui.py)
    rtmpose pipeline-ap ANN_FILE ...         detector + pose model AP on a COCO-format set (tools/pipeline_ap.py)
    rtmpose models [--task pose|det]         the model names and which are cached

``rtmpose COMMAND --help`` describes each command's arguments.
"""
from __future__ import annotations

import argparse
import importlib
import sys

#: The module (with a ``main(argv)``) of each subcommand, and its one-line summary.
COMMANDS = {
    'track': ('rtmpose.apps.track', 'pose tracking on images, videos or a webcam'),
    'webui': ('rtmpose.apps.webui', 'the web demo'),
    'pipeline-ap': ('rtmpose.apps.pipeline_ap', 'detector + pose model AP on a COCO-format image set'),
    'models': ('rtmpose.apps.models', 'the model names and which are cached'),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='rtmpose', description=__doc__.split('\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument('command', choices=list(COMMANDS), help='; '.join(f'{k}: {v[1]}' for k, v in COMMANDS.items()))
    parser.add_argument('args', nargs=argparse.REMAINDER, help='the arguments of the command (see COMMAND --help)')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if argv is None:  # the command's usage line says `rtmpose track`, not the script's name
        sys.argv[0] = f'rtmpose {args.command}'
    command = importlib.import_module(COMMANDS[args.command][0])  # only the command's own imports
    return command.main(args.args)


if __name__ == '__main__':
    sys.exit(main())

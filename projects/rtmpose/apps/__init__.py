"""Command-line applications over the library, each a module with ``parse_args(argv)`` and ``main(argv) -> exit
status``: :mod:`.track` (``demo/pose_tracker_demo.py``) and :mod:`.webui` (``demo/webui.py``). Nothing is imported
here."""

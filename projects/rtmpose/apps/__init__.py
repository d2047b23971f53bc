"""Command-line applications over the library, each a module with ``parse_args(argv)`` and ``main(argv) -> exit
status``: :mod:`.track` (``demo/pose_tracker_demo.py``), :mod:`.webui` (``demo/webui.py``), :mod:`.pipeline_ap`
(``tools/pipeline_ap.py``) and :mod:`.models`; :mod:`.cli` is the ``rtmpose`` console command that runs them as
subcommands (``rtmpose track ...``). Nothing is imported here."""

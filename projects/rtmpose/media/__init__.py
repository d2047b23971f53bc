"""Application input and output around the pipeline: frame sources (video files, image folders, cameras), the overlay
video sink, drawing, and results files (``.json`` / ``.jsonl``)."""

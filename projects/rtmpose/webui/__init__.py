"""A browser demo of the pipeline (``python demo/webui.py``): upload an image or a video, or use the webcam, pick the
model and the runtime, and get the skeleton overlay, the per-stage timing and the COCO-format JSON.

Standard library HTTP server and one static page (no web framework): :mod:`.choices` builds the models the page
offers, :mod:`.jobs` runs uploads one at a time in a worker thread with their progress, :mod:`.webcam` tracks the
page's webcam frames, :mod:`.server` answers the browser, and ``static/`` holds the page (HTML, script, style
sheet; package data). Nothing is imported here.
"""

"""Support for the tests, the benchmarks and the checking tools (``tools/verify_backend.py``,
``tools/quantize_int8.py``): fixtures that need real code (peaked random-weight models, COCO person crops, backend
parity measures). Not used by the library itself; imports torch / OpenMMLab where a helper needs them."""

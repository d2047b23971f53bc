"""Region codes: the small integers a figure is painted with, one per material and body side.

A figure is painted as a region map (0 = nothing painted) so that the scene can colour and texture each material;
the person's left side gets its own codes so that it can be shaded darker.
"""
# FACE_DETAIL: the dark eyes and the shaded tip of the nose
SKIN, SHIRT, PANTS, SHOES, HAIR, FACE_DETAIL = range(6)
NUM_MATERIALS = 6
NUM_REGION_CODES = 1 + 2 * NUM_MATERIALS


def region_code(material: int, left: bool) -> int:
    """Region-map value of ``material`` (``SKIN`` ... ``FACE_DETAIL``) on the person's left (``True``) or
    right/centre."""
    return 1 + 2 * material + int(left)

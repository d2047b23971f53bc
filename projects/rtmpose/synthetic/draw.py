"""Sub-pixel shape drawing into a region map ``(h, w)`` uint8 with cv2 (fixed point, ``SUBPIXEL_BITS`` bits)."""
import cv2
import numpy as np

SUBPIXEL_BITS = 4
_SUBPIXEL = float(1 << SUBPIXEL_BITS)


def _fixed(points: np.ndarray) -> np.ndarray:
    """``(..., 2)`` float pixels -> int32 fixed point for cv2 drawing with ``shift=SUBPIXEL_BITS``."""
    return np.round(points * _SUBPIXEL).astype(np.int32)


def fill_convex(canvas: np.ndarray, polygon: np.ndarray, code: int) -> None:
    """Fill the convex ``(N, 2)`` pixel polygon with ``code``."""
    cv2.fillConvexPoly(canvas, _fixed(polygon), code, cv2.LINE_8, SUBPIXEL_BITS)


def dot(canvas: np.ndarray, centre: np.ndarray, radius: float, code: int) -> None:
    """Paint a filled circle of ``radius`` px at ``centre`` (xy px)."""
    cv2.circle(canvas, (round(centre[0] * _SUBPIXEL), round(centre[1] * _SUBPIXEL)), round(radius * _SUBPIXEL), code,
               -1, cv2.LINE_8, SUBPIXEL_BITS)


def capsule(canvas: np.ndarray, p1: np.ndarray, p2: np.ndarray, w1: float, w2: float, code: int) -> None:
    """Paint a tapered limb from ``p1`` (width ``w1``) to ``p2`` (width ``w2``) with rounded ends; pixels."""
    (x1, y1), (x2, y2) = p1, p2
    length = np.hypot(x2 - x1, y2 - y1)
    if length > 1e-3:
        nx, ny = (y1 - y2) / length / 2, (x2 - x1) / length / 2
        quad = [[x1 + nx * w1, y1 + ny * w1], [x2 + nx * w2, y2 + ny * w2], [x2 - nx * w2, y2 - ny * w2],
                [x1 - nx * w1, y1 - ny * w1]]
        fill_convex(canvas, np.array(quad), code)
    for end, w in ((p1, w1), (p2, w2)):
        dot(canvas, end, w / 2, code)


def ellipse_polygon(center: np.ndarray, axis_a: np.ndarray, axis_b: np.ndarray, n: int = 32) -> np.ndarray:
    """``(n, 2)`` float32 outline of the ellipse ``center + cos(t) axis_a + sin(t) axis_b``."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)[:, None]
    return (center + np.cos(t) * axis_a + np.sin(t) * axis_b).astype(np.float32)

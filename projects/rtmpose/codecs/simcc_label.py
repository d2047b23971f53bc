"""SimCC label codec: keypoints <-> per-axis 1-D classification targets (RTMPose paper, section 3.2)."""
from collections.abc import Sequence

import cv2
import numpy as np
import torch
from mmpose.codecs.base import BaseKeypointCodec

from ..registry import KEYPOINT_CODECS
from .simcc_decode import simcc_maximum


@KEYPOINT_CODECS.register_module()
class SimCCLabel(BaseKeypointCodec):
    """Encode keypoints into SimCC labels and decode SimCC vectors into keypoints.

    Each axis is split into ``size * simcc_split_ratio`` bins. A keypoint at ``(x, y)`` in input pixels becomes two
    soft labels centred at ``round(x * r)`` and ``round(y * r)``: a Gaussian with its own sigma per axis
    (``smoothing_type='gaussian'``) or a one-hot vector with optional uniform label smoothing (``'standard'``).
    Decoding takes the argmax per axis; the score is the smaller of the two axis maxima (:func:`.simcc_maximum`, the
    rule the runtime shares).

    Shapes (N instances, K keypoints, Wx = w * r and Wy = h * r bins):

    - ``encode(keypoints (N, K, 2), keypoints_visible (N, K))`` ->
      ``keypoint_x_labels (N, K, Wx)``, ``keypoint_y_labels (N, K, Wy)``, ``keypoint_weights (N, K)``.
    - ``decode(simcc_x (N, K, Wx) or (K, Wx), simcc_y (N, K, Wy) or (K, Wy))`` ->
      ``keypoints (N, K, 2)`` in input pixels, ``scores (N, K)``
      (and ``(scores, visibility)`` when ``decode_visibility``).

    Args:
        input_size: Model input size ``(w, h)`` in pixels.
        smoothing_type: ``'gaussian'`` or ``'standard'``.
        sigma: Gaussian sigma in bins, one value or ``(sigma_x, sigma_y)``.
        simcc_split_ratio: Bins per input pixel.
        label_smooth_weight: Probability mass spread uniformly over the other bins (``'standard'`` only).
        normalize: Divide Gaussian labels by ``sigma * sqrt(2 * pi)`` so each integrates to one.
        use_dark: Refine the decoded argmax with the DARK second-order (Taylor) step on the log of the blurred
            vector.
        decode_visibility: Also decode a visibility score from the softmax of ``simcc * decode_beta * sigma``.
        decode_beta: Temperature for ``decode_visibility``.

    Keypoints whose visibility is below 0.5 get all-zero labels; those whose Gaussian (3 sigma) or one-hot bin
    falls entirely outside the input also get weight 0.
    """

    label_mapping_table = dict(
        keypoint_x_labels='keypoint_x_labels',
        keypoint_y_labels='keypoint_y_labels',
        keypoint_weights='keypoint_weights',
    )

    def __init__(self,
                 input_size: tuple[int, int],
                 smoothing_type: str = 'gaussian',
                 sigma: float | Sequence[float] = 6.0,
                 simcc_split_ratio: float = 2.0,
                 label_smooth_weight: float = 0.0,
                 normalize: bool = True,
                 use_dark: bool = False,
                 decode_visibility: bool = False,
                 decode_beta: float = 150.0) -> None:
        super().__init__()
        # MMPose's checks first, in its order and with its wording (users match on these messages)
        if smoothing_type not in ('gaussian', 'standard'):
            raise ValueError(f'{type(self).__name__} got invalid `smoothing_type` value{smoothing_type}. '
                             'Should be one of {"gaussian", "standard"}')
        if smoothing_type == 'gaussian' and label_smooth_weight > 0:
            raise ValueError('Attribute `label_smooth_weight` is only used for `standard` mode.')
        if not 0.0 <= label_smooth_weight <= 1.0:
            raise ValueError('`label_smooth_weight` should be in range [0, 1]')
        if len(input_size) != 2 or min(input_size) <= 0:
            raise ValueError(f'input_size must be (w, h) with positive values, got {input_size}')
        if simcc_split_ratio <= 0:
            raise ValueError(f'simcc_split_ratio must be positive, got {simcc_split_ratio}')
        sigma_xy = np.broadcast_to(np.asarray(sigma, dtype=np.float64), (2, )).copy()
        if np.any(sigma_xy <= 0):
            raise ValueError(f'sigma must be positive, got {sigma}')

        self.input_size = tuple(input_size)
        self.smoothing_type = smoothing_type
        self.sigma = sigma_xy
        self.simcc_split_ratio = simcc_split_ratio
        self.label_smooth_weight = label_smooth_weight
        self.normalize = normalize
        self.use_dark = use_dark
        self.decode_visibility = decode_visibility
        self.decode_beta = decode_beta
        self.simcc_size = tuple(int(np.around(s * simcc_split_ratio)) for s in self.input_size)

    # ------------------------------------------------------------------ encode
    def encode(self, keypoints: np.ndarray, keypoints_visible: np.ndarray | None = None) -> dict:
        """Encode keypoints ``(N, K, 2)`` (input pixels) and visibility ``(N, K)`` into SimCC labels.

        Returns:
            dict with ``keypoint_x_labels`` (N, K, Wx), ``keypoint_y_labels`` (N, K, Wy) and
            ``keypoint_weights`` (N, K), all float32.
        """
        keypoints = _as_array(keypoints, 'keypoints', ndim=3)
        if keypoints.shape[-1] != 2:
            raise ValueError(f'keypoints must have shape (N, K, 2), got {keypoints.shape}')
        n, k, _ = keypoints.shape
        if keypoints_visible is None:
            keypoints_visible = np.ones((n, k), dtype=np.float32)
        keypoints_visible = _as_array(keypoints_visible, 'keypoints_visible', ndim=2)
        if keypoints_visible.shape != (n, k):
            raise ValueError(f'keypoints_visible must have shape (N, K) = {(n, k)} to match keypoints, '
                             f'got {keypoints_visible.shape}')

        centers = np.around(keypoints * self.simcc_split_ratio).astype(np.int64)  # (N, K, 2) bins
        labeled = keypoints_visible >= 0.5
        if self.smoothing_type == 'gaussian':
            radius = 3 * self.sigma
            outside = np.any(centers - radius >= self.simcc_size, axis=-1) | np.any(centers + radius + 1 < 0, axis=-1)
        else:
            outside = np.any((centers < 0) | (centers >= self.simcc_size), axis=-1)
        active = labeled & ~outside
        weights = keypoints_visible.astype(np.float32)
        weights[labeled & outside] = 0

        labels = [self._axis_labels(centers[..., axis], active, axis) for axis in (0, 1)]
        return dict(keypoint_x_labels=labels[0], keypoint_y_labels=labels[1], keypoint_weights=weights)

    def _axis_labels(self, centers: np.ndarray, active: np.ndarray, axis: int) -> np.ndarray:
        """Labels ``(N, K, bins)`` for one axis from integer bin centres ``(N, K)``; inactive rows stay zero."""
        bins = np.arange(self.simcc_size[axis], dtype=np.float64)
        if self.smoothing_type == 'gaussian':
            sigma = self.sigma[axis]
            labels = np.exp(-(bins - centers[..., None])**2 / (2 * sigma**2))
            if self.normalize:
                labels /= sigma * np.sqrt(2 * np.pi)
        else:
            one_hot = bins == centers[..., None]
            off_value = self.label_smooth_weight / (len(bins) - 1) if self.label_smooth_weight > 0 else 0.0
            labels = np.where(one_hot, 1.0 - self.label_smooth_weight, off_value)
        return (labels * active[..., None]).astype(np.float32)

    # ------------------------------------------------------------------ decode
    def decode(self, simcc_x: np.ndarray, simcc_y: np.ndarray) -> tuple[np.ndarray, np.ndarray | tuple]:
        """Decode SimCC vectors ``(N, K, Wx)``/``(N, K, Wy)`` (or ``(K, Wx)``/``(K, Wy)``) into keypoints.

        Returns:
            ``keypoints`` (N, K, 2) float32 in input pixels (-1 where both maxima are <= 0) and ``scores`` (N, K),
            or ``(scores, visibility)`` when ``decode_visibility`` is set.
        """
        simcc_x, simcc_y = self._check_simcc(simcc_x, simcc_y)
        if simcc_x.ndim == 2:  # one instance
            simcc_x, simcc_y = simcc_x[None], simcc_y[None]
        keypoints, scores = simcc_maximum(simcc_x, simcc_y)
        if self.use_dark:
            for axis, simcc in enumerate((simcc_x, simcc_y)):
                keypoints[..., axis] = _refine_dark(keypoints[..., axis], simcc, self._dark_kernel(axis))
        keypoints /= self.simcc_split_ratio
        if not self.decode_visibility:
            return keypoints, scores
        _, visibility = simcc_maximum(_softmax(simcc_x * self.decode_beta * self.sigma[0]),
                                      _softmax(simcc_y * self.decode_beta * self.sigma[1]))
        return keypoints, (scores, visibility)

    def batch_decode(self, batch_simcc_x: torch.Tensor | np.ndarray,
                     batch_simcc_y: torch.Tensor | np.ndarray) -> tuple[list, list | tuple]:
        """Decode a batch ``(B, K, Wx)``/``(B, K, Wy)`` in one vectorised pass.

        Returns per-sample lists of ``keypoints`` (1, K, 2) and ``scores`` (1, K) (a pair of lists
        ``(scores, visibility)`` when ``decode_visibility``), the layout MMPose heads expect.
        """
        simcc_x, simcc_y = (_to_numpy(v) for v in (batch_simcc_x, batch_simcc_y))
        for name, value in (('batch_simcc_x', simcc_x), ('batch_simcc_y', simcc_y)):
            if value.ndim != 3:
                raise ValueError(f'{name} must have shape (B, K, bins), got {value.shape}')
        keypoints, scores = self.decode(simcc_x, simcc_y)
        split = lambda a: [a[i:i + 1] for i in range(len(a))]  # noqa: E731
        if self.decode_visibility:
            scores, visibility = scores
            return split(keypoints), (split(scores), split(visibility))
        return split(keypoints), split(scores)

    def _dark_kernel(self, axis: int) -> int:
        """Odd Gaussian blur size for DARK, derived from the label sigma (as in MMPose's SimCC DARK)."""
        size = int((self.sigma[axis] * 20 - 7) // 3)
        return size - int(size % 2 == 0)

    def _check_simcc(self, simcc_x, simcc_y) -> tuple[np.ndarray, np.ndarray]:
        """Check ``(N, K, Wx)``/``(N, K, Wy)`` (or ``(K, W)``) real arrays with this codec's bin counts."""
        simcc_x = _as_array(simcc_x, 'simcc_x', ndim=(2, 3))
        simcc_y = _as_array(simcc_y, 'simcc_y', ndim=(2, 3))
        if simcc_x.shape[:-1] != simcc_y.shape[:-1]:
            raise ValueError('simcc_x and simcc_y must share their leading (N, K) dimensions, '
                             f'got {simcc_x.shape} and {simcc_y.shape}')
        for name, value, axis in (('simcc_x', simcc_x, 0), ('simcc_y', simcc_y, 1)):
            allowed = {self.simcc_size[axis], int(self.input_size[axis] * self.simcc_split_ratio)}
            if value.shape[-1] not in allowed:
                raise ValueError(f'{name} must have {self.simcc_size[axis]} bins in its last dimension '
                                 f'(input_size {self.input_size} x simcc_split_ratio {self.simcc_split_ratio}), '
                                 f'got shape {value.shape}')
        return simcc_x, simcc_y


def _to_numpy(value) -> np.ndarray:
    """A tensor as a numpy array on the CPU; anything else unchanged (checked by the caller)."""
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value


def _as_array(value, name: str, ndim: int | tuple[int, ...]) -> np.ndarray:
    """Check that ``value`` is a real-valued numpy array with an allowed number of dimensions."""
    ndims = (ndim, ) if isinstance(ndim, int) else ndim
    if not isinstance(value, np.ndarray):
        raise ValueError(f'{name} must be a numpy.ndarray with {" or ".join(map(str, ndims))} dimensions, '
                         f'got {type(value).__name__}')
    if value.dtype.kind not in 'fiub':
        raise ValueError(f'{name} must hold real numbers (float or int), got dtype {value.dtype}')
    if value.ndim not in ndims:
        raise ValueError(f'{name} must have {" or ".join(map(str, ndims))} dimensions, got shape {value.shape}')
    return value


def _softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last (bin) axis, ``(..., W) -> (..., W)``."""
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _refine_dark(locs: np.ndarray, simcc: np.ndarray, kernel: int) -> np.ndarray:
    """DARK sub-bin refinement of argmax ``locs`` (...,) on vectors ``simcc`` (..., W) blurred with ``kernel``."""
    rows = simcc.reshape(-1, simcc.shape[-1]).astype(np.float32)
    border = (kernel - 1) // 2
    padded = np.pad(rows, ((0, 0), (border, border)))
    blurred = cv2.GaussianBlur(padded, (kernel, 1), 0)[:, border:padded.shape[1] - border]
    blurred *= rows.max(-1, keepdims=True) / blurred.max(-1, keepdims=True)
    logp = np.pad(np.log(np.clip(blurred, 1e-3, 50.)), ((0, 0), (2, 2)), mode='edge')
    idx = (locs.reshape(-1, 1) + 2.5).astype(np.int64)
    at = lambda shift: np.take_along_axis(logp, idx + shift, axis=1)[:, 0]  # noqa: E731
    first = 0.5 * (at(1) - at(-1))
    second = 1e-9 + 0.25 * (at(2) - 2 * at(0) + at(-2))
    return (locs.reshape(-1) - first / second).reshape(locs.shape)

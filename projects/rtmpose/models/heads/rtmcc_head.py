"""RTMCC head: keypoint tokens from the last feature map, one GAU, and SimCC classifiers (RTMPose, section 3.1)."""
from collections.abc import Sequence

import torch
from mmengine.structures import PixelData
from mmpose.codecs.utils import get_simcc_normalized
from mmpose.evaluation.functional import simcc_pck_accuracy
from mmpose.models.heads.base_head import BaseHead
from torch import Tensor, nn

from ...registry import KEYPOINT_CODECS, MODELS
from ..layers import RTMCCBlock, ScaleNorm

_DEFAULT_GAU = dict(hidden_dims=256, s=128, expansion_factor=2, dropout_rate=0., drop_path=0., act_fn='ReLU',
                    use_rel_bias=False, pos_enc=False)
_DEFAULT_LOSS = dict(type='KLDiscretLoss', use_target_weight=True)


class FlipTestInputError(ValueError, AssertionError):
    """``feats`` of a flip test that are not ``[feats, feats_of_flipped_images]``: a ``ValueError`` (bad input) that
    is also the ``AssertionError`` MMPose's ``RTMCCHead.predict`` raises, so code written against MMPose catches it."""


@MODELS.register_module()
class RTMCCHead(BaseHead):
    """``feats[-1] (B, C, h, w) -> conv (B, K, h, w) -> flatten (B, K, h*w) -> ScaleNorm + Linear (B, K, D)
    -> GAU (B, K, D) -> cls_x (B, K, Wx), cls_y (B, K, Wy)``.

    ``Wx = int(w_in * simcc_split_ratio)`` and ``Wy = int(h_in * simcc_split_ratio)``; at 192x256 with ratio 2 these
    are 384 and 512 bins.

    Args:
        in_channels: Channels C of the last backbone feature map.
        out_channels: Number of keypoints K.
        input_size: Model input ``(w_in, h_in)`` in pixels.
        in_featuremap_size: Size ``(w, h)`` of the last feature map (input / 32 for CSPNeXt P5).
        simcc_split_ratio: SimCC bins per input pixel.
        final_layer_kernel_size: Kernel of the conv that makes the K keypoint maps (7 in RTMPose).
        gau_cfg: ``hidden_dims`` D, ``s``, ``expansion_factor``, ``dropout_rate``, ``drop_path``, ``act_fn``,
            ``use_rel_bias``, ``pos_enc`` of the GAU.
        loss: Loss config (``KLDiscretLoss``).
        decoder: Codec config used by :meth:`predict` (``SimCCLabel``).
        init_cfg: mmengine init config; defaults to normal init for conv/linear layers.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 input_size: tuple[int, int],
                 in_featuremap_size: tuple[int, int],
                 simcc_split_ratio: float = 2.0,
                 final_layer_kernel_size: int = 1,
                 gau_cfg: dict = _DEFAULT_GAU,
                 loss: dict = _DEFAULT_LOSS,
                 decoder: dict | None = None,
                 init_cfg: dict | list | None = None) -> None:
        super().__init__(init_cfg if init_cfg is not None else self.default_init_cfg)
        if isinstance(in_channels, (tuple, list)):
            raise ValueError(f'{type(self).__name__} does not support selecting multiple input features.')
        gau_cfg = {**_DEFAULT_GAU, **gau_cfg}
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.input_size = tuple(input_size)
        self.in_featuremap_size = tuple(in_featuremap_size)
        self.simcc_split_ratio = simcc_split_ratio
        # Build in our scope whatever default scope another library left current (mmdet's inference APIs switch it).
        self.loss_module = MODELS.build({'_scope_': 'rtmpose', **loss})
        self.decoder = KEYPOINT_CODECS.build({'_scope_': 'rtmpose', **decoder}) if decoder is not None else None

        flatten_dims = self.in_featuremap_size[0] * self.in_featuremap_size[1]
        hidden = gau_cfg['hidden_dims']
        self.final_layer = nn.Conv2d(in_channels, out_channels, kernel_size=final_layer_kernel_size,
                                     padding=final_layer_kernel_size // 2)
        self.mlp = nn.Sequential(ScaleNorm(flatten_dims), nn.Linear(flatten_dims, hidden, bias=False))
        self.gau = RTMCCBlock(out_channels, hidden, hidden, s=gau_cfg['s'],
                              expansion_factor=gau_cfg['expansion_factor'], dropout_rate=gau_cfg['dropout_rate'],
                              drop_path=gau_cfg['drop_path'], attn_type='self-attn', act_fn=gau_cfg['act_fn'],
                              use_rel_bias=gau_cfg['use_rel_bias'], pos_enc=gau_cfg['pos_enc'])
        self.cls_x = nn.Linear(hidden, int(self.input_size[0] * simcc_split_ratio), bias=False)
        self.cls_y = nn.Linear(hidden, int(self.input_size[1] * simcc_split_ratio), bias=False)

    @property
    def default_init_cfg(self) -> list[dict]:
        return [
            dict(type='Normal', layer=['Conv2d'], std=0.001),
            dict(type='Constant', layer='BatchNorm2d', val=1),
            dict(type='Normal', layer=['Linear'], std=0.01, bias=0),
        ]

    def forward(self, feats: Sequence[Tensor]) -> tuple[Tensor, Tensor]:
        """``feats`` (multi-level features, last one ``(B, C, h, w)``) -> ``simcc_x (B, K, Wx)``,
        ``simcc_y (B, K, Wy)``."""
        x = self._check_feats(feats)
        tokens = self.mlp(self.final_layer(x).flatten(2))  # (B, K, D)
        tokens = self.gau(tokens)
        return self.cls_x(tokens), self.cls_y(tokens)

    def predict(self, feats, batch_data_samples, test_cfg: dict | None = None):
        """Decode keypoints; with ``test_cfg['flip_test']``, ``feats`` is ``[feats, feats_of_flipped_image]`` and the
        flipped predictions are mirrored back (x bins reversed, left/right keypoints swapped) and averaged.

        Returns a list (one per sample) of ``InstanceData`` with ``keypoints (1, K, 2)`` and
        ``keypoint_scores (1, K)``; with ``test_cfg['output_heatmaps']`` also 2-D heatmaps ``(K, Wy, Wx)`` made
        from the normalised x/y vectors.
        """
        test_cfg = test_cfg or {}
        if test_cfg.get('flip_test', False):
            if not (isinstance(feats, list) and len(feats) == 2):
                got = f'{type(feats).__name__} of {len(feats)}' if isinstance(feats, Sequence) else type(feats).__name__
                raise FlipTestInputError(
                    f'flip_test expects feats = [feats, feats_of_flipped_images] (a list of two), got a {got}')
            flip_indices = batch_data_samples[0].metainfo['flip_indices']
            pred_x, pred_y = self.forward(feats[0])
            flip_x, flip_y = self.forward(feats[1])
            pred_x = (pred_x + flip_x[:, flip_indices].flip(-1)) * 0.5
            pred_y = (pred_y + flip_y[:, flip_indices]) * 0.5
        else:
            pred_x, pred_y = self.forward(feats)
        preds = self.decode((pred_x, pred_y))
        if not test_cfg.get('output_heatmaps', False):
            return preds
        norm_x, norm_y = get_simcc_normalized(pred_x), get_simcc_normalized(pred_y)
        heatmaps = norm_y.unsqueeze(-1) @ norm_x.unsqueeze(-2)  # (B, K, Wy, Wx)
        for pred, vx, vy in zip(preds, norm_x.detach().cpu().numpy(), norm_y.detach().cpu().numpy()):
            pred.keypoint_x_labels = vx[None]
            pred.keypoint_y_labels = vy[None]
        return preds, [PixelData(heatmaps=h) for h in heatmaps.detach()]

    def loss(self, feats: Sequence[Tensor], batch_data_samples, train_cfg: dict | None = None) -> dict:
        """KL loss against the samples' ``gt_instance_labels`` and the SimCC PCK accuracy (``acc_pose``)."""
        pred_x, pred_y = self.forward(feats)
        labels = [d.gt_instance_labels for d in batch_data_samples]
        gt_x = torch.cat([lab.keypoint_x_labels for lab in labels])
        gt_y = torch.cat([lab.keypoint_y_labels for lab in labels])
        weights = torch.cat([lab.keypoint_weights for lab in labels])
        loss = self.loss_module((pred_x, pred_y), (gt_x, gt_y), weights)
        numpy = lambda t: t.detach().float().cpu().numpy()  # noqa: E731  (float: bfloat16 under autocast)
        _, acc, _ = simcc_pck_accuracy((numpy(pred_x), numpy(pred_y)), (numpy(gt_x), numpy(gt_y)),
                                       simcc_split_ratio=self.simcc_split_ratio, mask=numpy(weights) > 0)
        return dict(loss_kpt=loss, acc_pose=torch.tensor(acc, device=gt_x.device))

    def _check_feats(self, feats: Sequence[Tensor]) -> Tensor:
        x = feats[-1] if isinstance(feats, (list, tuple)) and len(feats) > 0 else feats
        w, h = self.in_featuremap_size
        expected = f'(B, {self.in_channels}, {h}, {w})'
        if not isinstance(x, Tensor):
            raise ValueError(f'{type(self).__name__} expects a tuple of feature maps whose last is a tensor '
                             f'{expected}, got {type(x).__name__}')
        if not x.is_floating_point() or x.ndim != 4 or x.shape[1] != self.in_channels or x.shape[2:] != (h, w):
            raise ValueError(f'{type(self).__name__} expects the last feature map as a float tensor {expected} '
                             f'(in_channels, in_featuremap_size={self.in_featuremap_size}), got {x.dtype} '
                             f'{tuple(x.shape)}')
        return x

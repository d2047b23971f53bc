"""PyTorch -> ONNX through MMDeploy (``mmdeploy.apis.torch2onnx``) with the TorchScript exporter."""
import contextlib
from pathlib import Path

from mmengine.config import Config
from mmengine.registry import DefaultScope

from .pnnx_rewriter_scope import pnnx_ncnn_rewriters
from .torchscript_exporter import torchscript_onnx_export


def export_onnx(deploy_cfg: Config, model_cfg: Config, checkpoint: str | None, image: str, work_dir: str | Path,
                device: str = 'cpu') -> Path:
    """Export ``model_cfg`` (+ ``checkpoint``) to ``work_dir/<onnx_config.save_file>`` as ``deploy_cfg`` says.

    The model is built in ``model_cfg.default_scope`` (``'rtmpose'`` for our configs, ``'mmpose'`` to export
    MMPose's reference classes from the same config), with MMDeploy's rewriters and ours (:mod:`.rewriters`)
    active for the deploy config's backend.
    ``checkpoint=None`` exports PyTorch's default (random) initialisation. For the ncnn backend, MMDeploy's own
    ncnn rewriters (made for its onnx2ncnn) are hidden, see
    :func:`~rtmpose.deploy.pnnx_rewriter_scope.pnnx_ncnn_rewriters`.

    Args:
        deploy_cfg: MMDeploy deploy config.
        model_cfg: Model config (MMPose / mmdet style).
        checkpoint: ``.pth`` file or ``None``.
        image: An image file; the export traces the model on its (whole-image) crop.
        work_dir: Output directory (created).
        device: Device the PyTorch model is built on (the export itself runs on the CPU).

    Returns:
        Path of the written ONNX file.
    """
    from mmdeploy.apis import torch2onnx

    from ..engine import trusted_checkpoints
    from . import rewriters  # noqa: F401  (registers our rewriters with MMDeploy)

    work_dir = Path(work_dir)
    save_file = deploy_cfg.onnx_config.save_file
    ncnn = deploy_cfg.backend_config.type == 'ncnn'
    with DefaultScope.overwrite_default_scope(model_cfg.get('default_scope')), torchscript_onnx_export(), \
            pnnx_ncnn_rewriters() if ncnn else contextlib.nullcontext(), trusted_checkpoints():
        torch2onnx(image, str(work_dir), save_file, deploy_cfg, model_cfg, checkpoint, device)
    return work_dir / save_file

"""MMDeploy SDK metadata (``deploy.json``, ``pipeline.json``, ``detail.json``) for a conversion."""
import json
from pathlib import Path

from mmengine.config import Config
from mmengine.registry import DefaultScope

from .artifacts import Artifacts


def dump_sdk_info(deploy_cfg: Config, model_cfg: Config, work_dir: str | Path, checkpoint: str, device: str,
                  files: Artifacts) -> list[Path]:
    """Write the SDK files with ``mmdeploy.backend.sdk.export_info.export2SDK``.

    MMDeploy names the runtime file after ``onnx_config.save_file`` and knows precisions only for TensorRT and
    ncnn; for FP16 ONNX Runtime, ``deploy.json`` is corrected to point at ``end2end_fp16.onnx`` with precision
    ``FP16``.

    Returns:
        The three written paths.
    """
    from mmdeploy.backend.sdk.export_info import export2SDK

    work_dir = Path(work_dir)
    with DefaultScope.overwrite_default_scope(model_cfg.get('default_scope')):
        export2SDK(deploy_cfg, model_cfg, str(work_dir), pth=checkpoint, device=device)
    deploy_json = work_dir / 'deploy.json'
    if files.backend == 'onnxruntime' and files.precision == 'FP16':
        info = json.loads(deploy_json.read_text())
        for model in info['models']:
            model.update(net=files.backend_files[0].name, precision='FP16')
        deploy_json.write_text(json.dumps(info, indent=4))
    return [deploy_json, work_dir / 'pipeline.json', work_dir / 'detail.json']

"""Convert an RTMPose (or RTMDet) model with an MMDeploy deploy config: ONNX Runtime, TensorRT or ncnn.

Same arguments as MMDeploy's ``tools/deploy.py`` (which the mmdeploy PyPI wheel does not ship)::

    python tools/deploy.py DEPLOY_CFG MODEL_CFG CHECKPOINT IMAGE --work-dir DIR [--device cpu|cuda:0] [--dump-info]

``CHECKPOINT`` may be ``none`` for random weights. Examples::

    python tools/deploy.py deploy_configs/pose/pose-detection_simcc_onnxruntime_dynamic-256x192.py \\
        configs/rtmpose-m_coco.py rtmpose-m.pth ../shared/data/coco/000000000785.jpg --work-dir work_dirs/rtmpose-m-ort
    python tools/deploy.py deploy_configs/pose/pose-detection_simcc_ncnn-fp16_static-256x192.py \\
        configs/rtmpose-t_coco.py none ../shared/data/coco/000000000785.jpg --work-dir work_dirs/rtmpose-t-ncnn16

Writes ``end2end.onnx`` and the backend's files (``end2end_fp16.onnx``, ``end2end.engine`` or
``end2end.param``/``end2end.bin``) and, with ``--dump-info``, the SDK's ``deploy.json``, ``pipeline.json`` and
``detail.json``. A bad request (missing or corrupt input, a checkpoint that is truncated or does not fit the model, a
work dir that is a file or cannot be written, TensorRT without a GPU) stops before anything is written (exit code 2);
a failed conversion (a converter's error, a full disk) leaves the previous export in the work dir as it was (exit code
1). A finished export replaces the previous one: the work dir then holds only its files (another backend's earlier
``.param``/``.bin`` go, files not named like an export stay). The input shape is the model config's, whatever size the
deploy config was written for.
"""
import argparse
import logging
import sys

from mmengine.logging import print_log


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('deploy_cfg', help='MMDeploy deploy config, e.g. deploy_configs/pose/...py')
    parser.add_argument('model_cfg', help='model config, e.g. configs/rtmpose-m_coco.py')
    parser.add_argument('checkpoint', help="model checkpoint (.pth), or 'none' for random weights")
    parser.add_argument('img', help='image used to trace the model')
    parser.add_argument('--work-dir', required=True, help='directory for the converted files')
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda:0' (TensorRT needs a GPU)")
    parser.add_argument('--dump-info', action='store_true', help='also write the MMDeploy SDK json files')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from rtmpose.deploy.checks import ConversionError, DeployError
    from rtmpose.deploy.pipeline import deploy

    try:
        files = deploy(args.deploy_cfg, args.model_cfg, args.checkpoint, args.img, args.work_dir, args.device,
                       args.dump_info)
    except ConversionError as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    except DeployError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    written = ', '.join(str(p) for p in dict.fromkeys((files.onnx, *files.backend_files)))
    print_log(f'{files.backend} {files.precision} model written: {written}', logger='current', level=logging.INFO)
    return 0


if __name__ == '__main__':
    sys.exit(main())

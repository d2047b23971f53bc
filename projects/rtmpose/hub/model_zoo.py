"""Models by name: the one table of official OpenMMLab files for each runtime.

Every name maps to the MMDeploy SDK zip published with the RTMPose release (ONNX Runtime / OpenVINO: the zip holds
``end2end.onnx`` with its ``deploy.json``, ``pipeline.json`` and ``detail.json``) and, for the torch backend, the
``.pth`` checkpoint with the config it was trained with (this repository's ``configs/`` or MMPose's own, through
``mmpose::``). Files are downloaded once into the cache (:func:`~rtmpose.hub.download.cache_dir`); a local path
is always accepted in place of a name.

>>> from rtmpose.inference import build_pose_model, build_detector
>>> pose = build_pose_model('rtmpose-m')            # body, COCO-17 keypoints, ONNX Runtime
>>> det = build_detector('rtmdet-nano')             # the person detector of the RTMPose pipeline
>>> pose = build_pose_model('rtmpose-m', backend='torch')  # the .pth with its config

=========================  ======================  ============================================================
name                       keypoints               weights (ONNX SDK zip / torch checkpoint)
=========================  ======================  ============================================================
rtmpose-t|s|m|l            coco (17)               body7 (SDK zip) / AIC+COCO (.pth), 256x192
rtmpose-m|l-384            coco (17)               body7 (SDK zip) / AIC+COCO (.pth), 384x288
rtmpose-t|s|m|l-halpe26    halpe26 (26)            body7, 256x192
rtmpose-m|l-wholebody      coco_wholebody (133)    COCO-WholeBody, 256x192
rtmpose-m-hand             coco_wholebody_hand     hand5, 256x256 (21 keypoints)
rtmpose-t|s|m-face         lapa (106)              face6, 256x256
rtmpose-m-ap10k            ap10k (17)              AP-10K animals, 256x256
rtmdet-nano | rtmdet-m     detector: person        COCO + Objects365 persons, 320 / 640
rtmdet-nano-hand           detector: hand          hand detector, 320
rtmdet-m-animal            detector: animals       mmdet's 80-class COCO RTMDet-m (.pth only), 640
=========================  ======================  ============================================================

The body SDK zips are OpenMMLab's body7 models (the ones the RTMPose release deploys); the torch checkpoints are
the AIC+COCO models of this repository's configs (the body7 configs use MMPose's dataset mixes). Animals have no
RTMDet of their own: as MMPose's inferencer does for its ``'animal'`` alias, ``rtmdet-m-animal`` is mmdet's COCO
RTMDet-m keeping COCO's animal classes (cat to giraffe, ids 15-23) and dropping persons. No SDK zip of it is
published: it runs on the torch backend, or export it with ``tools/deploy.py`` (``configs/rtmdet/rtmdet-m_coco.py``).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..backends import BACKENDS, backend_facts
from ..metainfo.files import REPO_CONFIG_DIR, mmpose_config_dir
from .download import cache_lock, cached_path, download

_ROOT = 'https://download.openmmlab.com/mmpose/v1/projects/'
_V1 = _ROOT + 'rtmposev1/'


@dataclass(frozen=True)
class ModelEntry:
    """One named model.

    Attributes:
        name: the name (``'rtmpose-m'``).
        task: ``'pose'`` or ``'det'``.
        sdk_zip: URL of the MMDeploy SDK zip (ONNX Runtime / OpenVINO), or ``None``.
        checkpoint: URL of the ``.pth`` checkpoint (torch), or ``None``.
        config: the config of ``checkpoint``: a path under this repository's ``configs/`` or ``mmpose::<path>``.
        keypoints: dataset name of the keypoint set (pose models).
        detector: name of the default detector (pose models).
        det_cat_ids: the class labels a detector keeps (MMPose's ``det_cat_ids``).
    """

    name: str
    task: str
    sdk_zip: str | None
    checkpoint: str | None = None
    config: str | None = None
    keypoints: str | None = None
    detector: str | None = None
    det_cat_ids: tuple[int, ...] = (0, )


def _pose(name: str, stem: str, keypoints: str, detector: str | None, pth_stem: str | None = None,
          config: str | None = None) -> ModelEntry:
    """An entry whose SDK zip is ``onnx_sdk/<stem>.zip`` and checkpoint ``<pth_stem or stem>.pth``."""
    return ModelEntry(name, 'pose', f'{_V1}onnx_sdk/{stem}.zip', f'{_V1}{pth_stem or stem}.pth', config, keypoints,
                      detector)


_BODY = 'body_2d_keypoint/rtmpose/body8/'
#: COCO's animal classes cat, dog, horse, sheep, cow, elephant, bear, zebra, giraffe (0-based labels of the 80-class
#: detectors): MMPose's detector classes for animals (``default_det_models['animal']``)
COCO_ANIMAL_IDS = (15, 16, 17, 18, 19, 20, 21, 22, 23)
_ENTRIES = (
    _pose('rtmpose-t', 'rtmpose-t_simcc-body7_pt-body7_420e-256x192-026a1439_20230504', 'coco', 'rtmdet-nano',
          'rtmpose-tiny_simcc-aic-coco_pt-aic-coco_420e-256x192-cfc8f33d_20230126', 'rtmpose-t_aic-coco.py'),
    _pose('rtmpose-s', 'rtmpose-s_simcc-body7_pt-body7_420e-256x192-acd4a1ef_20230504', 'coco', 'rtmdet-nano',
          'rtmpose-s_simcc-aic-coco_pt-aic-coco_420e-256x192-fcb2599b_20230126', 'rtmpose-s_aic-coco.py'),
    _pose('rtmpose-m', 'rtmpose-m_simcc-body7_pt-body7_420e-256x192-e48f03d0_20230504', 'coco', 'rtmdet-nano',
          'rtmpose-m_simcc-aic-coco_pt-aic-coco_420e-256x192-63eb25f7_20230126', 'rtmpose-m_aic-coco.py'),
    _pose('rtmpose-l', 'rtmpose-l_simcc-body7_pt-body7_420e-256x192-4dba18fc_20230504', 'coco', 'rtmdet-m',
          'rtmpose-l_simcc-aic-coco_pt-aic-coco_420e-256x192-f016ffe0_20230126', 'rtmpose-l_aic-coco.py'),
    _pose('rtmpose-m-384', 'rtmpose-m_simcc-body7_pt-body7_420e-384x288-65e718c4_20230504', 'coco', 'rtmdet-nano',
          'rtmpose-m_simcc-aic-coco_pt-aic-coco_420e-384x288-a62a0b32_20230228', 'rtmpose-m_aic-coco-384x288.py'),
    _pose('rtmpose-l-384', 'rtmpose-l_simcc-body7_pt-body7_420e-384x288-3f5a1437_20230504', 'coco', 'rtmdet-m',
          'rtmpose-l_simcc-aic-coco_pt-aic-coco_420e-384x288-97d6cb0f_20230228', 'rtmpose-l_aic-coco-384x288.py'),
    _pose('rtmpose-t-halpe26', 'rtmpose-t_simcc-body7_pt-body7-halpe26_700e-256x192-6020f8a6_20230605', 'halpe26',
          'rtmdet-nano'),
    _pose('rtmpose-s-halpe26', 'rtmpose-s_simcc-body7_pt-body7-halpe26_700e-256x192-7f134165_20230605', 'halpe26',
          'rtmdet-nano'),
    _pose('rtmpose-m-halpe26', 'rtmpose-m_simcc-body7_pt-body7-halpe26_700e-256x192-4d3e73dd_20230605', 'halpe26',
          'rtmdet-nano', config=f'mmpose::{_BODY}rtmpose-m_8xb512-700e_body8-halpe26-256x192.py'),
    _pose('rtmpose-l-halpe26', 'rtmpose-l_simcc-body7_pt-body7-halpe26_700e-256x192-2abb7558_20230605', 'halpe26',
          'rtmdet-m', config=f'mmpose::{_BODY}rtmpose-l_8xb512-700e_body8-halpe26-256x192.py'),
    _pose('rtmpose-m-wholebody', 'rtmpose-m_simcc-coco-wholebody_pt-aic-coco_270e-256x192-cd5e845c_20230123',
          'coco_wholebody', 'rtmdet-nano', config='wholebody/rtmpose-m_coco-wholebody.py'),
    _pose('rtmpose-l-wholebody', 'rtmpose-l_simcc-coco-wholebody_pt-aic-coco_270e-256x192-6f206314_20230124',
          'coco_wholebody', 'rtmdet-m', config='wholebody/rtmpose-l_coco-wholebody.py'),
    _pose('rtmpose-m-hand', 'rtmpose-m_simcc-hand5_pt-aic-coco_210e-256x256-74fb594_20230320', 'coco_wholebody_hand',
          'rtmdet-nano-hand', config='mmpose::hand_2d_keypoint/rtmpose/hand5/rtmpose-m_8xb256-210e_hand5-256x256.py'),
    _pose('rtmpose-t-face', 'rtmpose-t_simcc-face6_pt-in1k_120e-256x256-df79d9a5_20230529', 'lapa', None,
          config='mmpose::face_2d_keypoint/rtmpose/face6/rtmpose-t_8xb256-120e_face6-256x256.py'),
    _pose('rtmpose-s-face', 'rtmpose-s_simcc-face6_pt-in1k_120e-256x256-d779fdef_20230529', 'lapa', None,
          config='mmpose::face_2d_keypoint/rtmpose/face6/rtmpose-s_8xb256-120e_face6-256x256.py'),
    _pose('rtmpose-m-face', 'rtmpose-m_simcc-face6_pt-in1k_120e-256x256-72a37400_20230529', 'lapa', None,
          config='mmpose::face_2d_keypoint/rtmpose/face6/rtmpose-m_8xb256-120e_face6-256x256.py'),
    _pose('rtmpose-m-ap10k', 'rtmpose-m_simcc-ap10k_pt-aic-coco_210e-256x256-7a041aa1_20230206', 'ap10k',
          'rtmdet-m-animal', config='ap10k/rtmpose-m_ap10k.py'),
    ModelEntry('rtmdet-nano', 'det', f'{_V1}onnx_sdk/rtmdet_nano_8xb32-100e_coco-obj365-person-05d8511e.zip',
               f'{_ROOT}rtmpose/rtmdet_nano_8xb32-100e_coco-obj365-person-05d8511e.pth',
               'rtmdet/rtmdet-nano_person.py'),
    ModelEntry('rtmdet-m', 'det', f'{_V1}onnx_sdk/rtmdet_m_8xb32-100e_coco-obj365-person-235e8209.zip',
               f'{_ROOT}rtmpose/rtmdet_m_8xb32-100e_coco-obj365-person-235e8209.pth', 'rtmdet/rtmdet-m_person.py'),
    ModelEntry('rtmdet-nano-hand', 'det', f'{_V1}onnx_sdk/rtmdet_nano_8xb32-300e_hand-267f9c8f.zip',
               f'{_V1}rtmdet_nano_8xb32-300e_hand-267f9c8f.pth', 'rtmdet/rtmdet-nano_hand.py'),
    ModelEntry('rtmdet-m-animal', 'det', None, 'https://download.openmmlab.com/mmdetection/v3.0/rtmdet/'
               'rtmdet_m_8xb32-300e_coco/rtmdet_m_8xb32-300e_coco_20220719_112220-229f527c.pth',
               'rtmdet/rtmdet-m_coco.py', det_cat_ids=COCO_ANIMAL_IDS),
)

#: All named models.
MODELS: dict[str, ModelEntry] = {entry.name: entry for entry in _ENTRIES}


def model_names(task: str | None = None) -> list[str]:
    """The names of :data:`MODELS` (``task``: ``'pose'`` or ``'det'`` only)."""
    return [name for name, entry in MODELS.items() if task is None or entry.task == task]


def is_model_name(model: str | Path) -> bool:
    """``model`` is a name of :data:`MODELS` and not an existing local path (a local file always wins)."""
    return isinstance(model, str) and model in MODELS and not Path(model).exists()


def get_entry(name: str, task: str | None = None) -> ModelEntry:
    """The entry of ``name``; ``ValueError`` listing the names for an unknown one."""
    entry = MODELS.get(name)
    if entry is None or (task is not None and entry.task != task):
        raise ValueError(f'unknown {"model" if task is None else task + " model"} name {name!r}; choose one of '
                         f'{", ".join(model_names(task))}, or pass a model file / folder')
    return entry


def default_detector(pose: str | Path) -> str:
    """The default detector name of a pose model name; ``ValueError`` when it has none or ``pose`` is a file."""
    if not is_model_name(pose):
        raise ValueError(f'{str(pose)!r} is not a model name: pass the detector too (det=, --det)')
    entry = get_entry(str(pose), 'pose')
    if entry.detector is None:
        raise ValueError(f'{entry.name} ({entry.keypoints}) has no official RTMDet detector: pass one (det=, --det), '
                         f'e.g. an MMDetection config of the objects with its checkpoint')
    return entry.detector


def fetch_model(name: str, backend: str, task: str | None = None,
                cache: str | Path | None = None) -> tuple[Path, Path | None]:
    """Download (once) and unpack the files of model ``name`` for ``backend``.

    Returns:
        ``(model, checkpoint)``: the unpacked SDK folder and ``None`` (onnxruntime, openvino), or the config and
        the downloaded ``.pth`` (torch).

    Raises:
        ValueError: an unknown name, or a backend the table has no files for (ncnn, tensorrt: export them with
            ``tools/deploy.py`` from the torch files).
        ~rtmpose.hub.download.DownloadError: the download failed (the message names the URL and where to
            put the file by hand).
    """
    entry = get_entry(name, task)
    if _files_for(entry, backend) == 'sdk_zip':
        return unpack_sdk_zip(download(entry.sdk_zip, cache)), None
    if _files_for(entry, backend) == 'checkpoint':
        return _config_path(entry.config), download(entry.checkpoint, cache)
    raise ValueError(f'{name}: the model table has no {backend} files (it has {", ".join(entry_backends(name))}); '
                     f'export the torch checkpoint with tools/deploy.py for {backend} and pass the file')


def cached_files(name: str, cache: str | Path | None = None) -> dict[str, Path]:
    """The files of model ``name`` that :func:`fetch_model` already downloaded into the cache: ``'sdk_zip'`` and / or
    ``'checkpoint'`` (where :func:`~rtmpose.hub.download.download` puts them: the URL's file name in the cache)."""
    entry = get_entry(name)
    urls = {'sdk_zip': entry.sdk_zip, 'checkpoint': entry.checkpoint}
    paths = {kind: cached_path(url, cache) for kind, url in urls.items() if url}
    return {kind: path for kind, path in paths.items() if path.is_file()}


def entry_backends(name: str) -> list[str]:
    """The backends the model table has files of the model ``name`` for (``ValueError`` for an unknown name)."""
    entry = get_entry(name)
    return [backend for backend in BACKENDS if _files_for(entry, backend)]


def _files_for(entry: ModelEntry, backend: str) -> str | None:
    """Which of the entry's files ``backend`` runs: ``'sdk_zip'`` (a backend of ONNX files), ``'checkpoint'`` (the
    backend of OpenMMLab configs) or ``None``."""
    facts = backend_facts(backend)
    if facts.runs_onnx and entry.sdk_zip:
        return 'sdk_zip'
    if '.py' in facts.suffixes and entry.checkpoint and entry.config:
        return 'checkpoint'
    return None


def unpack_sdk_zip(archive: Path) -> Path:
    """Unpack an MMDeploy SDK zip beside itself (once) and return the folder holding its ``deploy.json``.

    Raises:
        ValueError: not a zip, a damaged one, or one without an SDK folder.
    """
    target = archive.with_suffix('')
    done = target / '.unpacked'
    if not done.is_file():
        with cache_lock(target):  # one process unpacks, another waits for the finished folder
            if not done.is_file():
                _unpack(archive, target)
                done.touch()
    found = sorted(p.parent for p in target.rglob('deploy.json'))
    if not found:
        raise ValueError(f'{archive} holds no MMDeploy SDK folder (deploy.json); delete it to download it again')
    return found[0]


def _unpack(archive: Path, target: Path) -> None:
    """Extract ``archive`` into ``target`` after checking every member's CRC."""
    try:
        with zipfile.ZipFile(archive) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise ValueError(f'{archive}: {bad} is damaged; delete the file to download it again')
            zf.extractall(target)
    except zipfile.BadZipFile as err:
        raise ValueError(f'{archive} is not a zip file ({err}); delete it to download it again') from err


def _config_path(config: str) -> Path:
    """A table config as a file: ``mmpose::x`` in MMPose's package, else under this repository's ``configs/``."""
    if config.startswith('mmpose::'):
        base = mmpose_config_dir()
        if base is None:
            raise ValueError(f'{config} needs MMPose installed (pip install mmpose)')
        return base / config[len('mmpose::'):]
    return REPO_CONFIG_DIR / config

"""Models by name: the table, and names resolved through a real HTTP server on 127.0.0.1 serving MMDeploy SDK zips
(the real RTMDet-nano and a random-weight RTMPose-t) into the cache, for the API, ``rtmpose.hub.build_tracker`` and
the CLI."""
import dataclasses
import json
import shutil
import zipfile

import pytest

from rtmpose.hub import model_zoo
from rtmpose.hub.download import HASH_IN_NAME
from rtmpose.hub.model_zoo import MODELS, ModelEntry, default_detector, is_model_name
from rtmpose.metainfo import COCO17, load_keypoint_set
from tests.inference.local_http import LocalServer
from tests.paths import REPO_ROOT, load_script

ISSUE_NAMES = ('rtmpose-t', 'rtmpose-s', 'rtmpose-m', 'rtmpose-l', 'rtmpose-m-384', 'rtmpose-l-384',
               'rtmpose-m-wholebody', 'rtmpose-m-halpe26', 'rtmpose-m-hand', 'rtmpose-m-face', 'rtmpose-m-ap10k',
               'rtmdet-nano', 'rtmdet-m', 'rtmdet-nano-hand')
KEYPOINTS = {'coco': 17, 'coco_wholebody': 133, 'halpe26': 26, 'coco_wholebody_hand': 21, 'lapa': 106, 'ap10k': 17}


def test_table():
    assert set(ISSUE_NAMES) <= set(MODELS)
    for entry in MODELS.values():
        for url in (entry.sdk_zip, entry.checkpoint):
            assert url is None or url.startswith(('https://download.openmmlab.com/mmpose/v1/projects/',
                                                  'https://download.openmmlab.com/mmdetection/v3.0/')), url
        assert entry.sdk_zip is None or entry.sdk_zip.endswith('.zip'), entry.name
        assert HASH_IN_NAME.search(entry.checkpoint), entry.name
        if entry.config:
            assert model_zoo._config_path(entry.config).is_file(), entry.config
        if entry.task == 'pose':
            assert load_keypoint_set(entry.keypoints).num_keypoints == KEYPOINTS[entry.keypoints]
            assert entry.detector is None or MODELS[entry.detector].task == 'det'
    assert default_detector('rtmpose-m-hand') == 'rtmdet-nano-hand'
    assert default_detector('rtmpose-m-ap10k') == 'rtmdet-m-animal'
    with pytest.raises(ValueError, match='has no official RTMDet detector'):
        default_detector('rtmpose-m-face')
    with pytest.raises(ValueError, match='unknown pose model name .rtmpose-q.; choose one of rtmpose-t'):
        model_zoo.get_entry('rtmpose-q', 'pose')
    with pytest.raises(ValueError, match='no ncnn files'):
        model_zoo.fetch_model('rtmpose-m', 'ncnn')


def _zip(folder, archive):
    """``folder`` zipped as ``<stem>/<files>``, the layout of OpenMMLab's SDK zips."""
    with zipfile.ZipFile(archive, 'w') as zf:
        for file in folder.iterdir():
            zf.write(file, f'{archive.stem}/{file.name}')
    return archive.read_bytes()


@pytest.fixture
def served(tmp_path, monkeypatch, det_dir, pose_meta_dir, peaked_models):
    """The table's rtmpose-m and rtmdet-nano entries pointed at a local server serving SDK zips of the peaked
    RTMPose-t and the real RTMDet-nano; the cache in ``tmp_path``."""
    sdk = tmp_path / 'pose_sdk'
    sdk.mkdir()
    shutil.copy(peaked_models['dynamic'], sdk / 'end2end.onnx')
    for name in ('deploy.json', 'pipeline.json', 'detail.json'):
        shutil.copy(pose_meta_dir / name, sdk / name)
    server = LocalServer()
    server.files['/sdk/pose-e48f03d0_20230504.zip'] = _zip(sdk, tmp_path / 'pose-e48f03d0_20230504.zip')
    server.files['/sdk/det-05d8511e.zip'] = _zip(det_dir, tmp_path / 'det-05d8511e.zip')
    monkeypatch.setitem(MODELS, 'rtmpose-m', dataclasses.replace(
        MODELS['rtmpose-m'], sdk_zip=f'{server.url}/sdk/pose-e48f03d0_20230504.zip'))
    monkeypatch.setitem(MODELS, 'rtmdet-nano', dataclasses.replace(
        MODELS['rtmdet-nano'], sdk_zip=f'{server.url}/sdk/det-05d8511e.zip'))
    monkeypatch.setenv('RTMPOSE_CACHE', str(tmp_path / 'cache'))
    yield server
    server.close()


def test_names_download_once_and_run(served, video_frames, tmp_path, monkeypatch):
    from rtmpose.hub import build_detector, build_pose_model, build_tracker

    pose = build_pose_model('rtmpose-m', threads=2)
    assert pose.keypoint_set is COCO17 and pose.input_size == (192, 256)
    assert build_detector('rtmdet-nano', threads=2).backend.name == 'onnxruntime'
    assert len(served.requests) == 2  # each zip downloaded once...
    tracker = build_tracker('rtmpose-m', threads=2)  # ... and taken from the cache after
    assert len(served.requests) == 2 and len(tracker(video_frames[0])) >= 2
    assert sorted(p.name for p in (tmp_path / 'cache').iterdir() if not p.name.endswith('.lock')) == [
        'det-05d8511e', 'det-05d8511e.zip', 'pose-e48f03d0_20230504', 'pose-e48f03d0_20230504.zip']
    assert is_model_name('rtmpose-m')
    (tmp_path / 'rtmpose-m').mkdir()
    monkeypatch.chdir(tmp_path)  # a local path named like a model wins over the name
    assert not is_model_name('rtmpose-m')


def test_cli_by_name_and_offline(served, video_frames, tmp_path, monkeypatch, capsys):
    import cv2
    demo = load_script(REPO_ROOT / 'demo' / 'pose_tracker_demo.py')
    image = tmp_path / 'frame.png'
    cv2.imwrite(str(image), video_frames[0])
    assert demo.main([str(image), '--pose', 'rtmpose-m', '--threads', '2', '--no-progress',
                      '--out-dir', str(tmp_path / 'out')]) == 0  # --det: rtmpose-m's detector, rtmdet-nano
    assert len(json.loads((tmp_path / 'out' / 'frame.json').read_text())) >= 2
    monkeypatch.setitem(MODELS, 'rtmpose-l', ModelEntry('rtmpose-l', 'pose', 'http://127.0.0.1:9/sdk/x.zip',
                                                        keypoints='coco', detector='rtmdet-nano'))
    capsys.readouterr()
    assert demo.main([str(image), '--pose', 'rtmpose-l', '--no-progress', '--out-dir', str(tmp_path / 'off')]) == 1
    err = capsys.readouterr().err
    assert 'could not download http://127.0.0.1:9/sdk/x.zip' in err and 'put it at' in err
    assert str(tmp_path / 'cache' / 'x.zip') in err and 'Traceback' not in err


def test_hand_detector_config_is_the_person_network_with_one_hand_class():
    from mmengine.config import Config

    hand = Config.fromfile(str(REPO_ROOT / 'configs' / 'rtmdet' / 'rtmdet-nano_hand.py'))
    person = Config.fromfile(str(REPO_ROOT / 'configs' / 'rtmdet' / 'rtmdet-nano_person.py'))
    assert hand.model == person.model and hand.model.bbox_head.num_classes == 1
    assert hand.test_dataloader.dataset.metainfo.classes == ('hand', )
    assert hand.official_checkpoint == MODELS['rtmdet-nano-hand'].checkpoint


def test_torch_backend_by_name_downloads_the_checkpoint(real_models, tmp_path, monkeypatch):
    """``backend='torch'``: the table's config and its ``.pth``, whose name carries its SHA-256 digits."""
    import hashlib
    import warnings

    from rtmpose.hub import build_pose_model

    data = real_models['pth'].read_bytes()
    name = f'rtmpose-t_simcc-test-{hashlib.sha256(data).hexdigest()[:8]}_20230126.pth'
    server = LocalServer()
    server.files[f'/pth/{name}'] = data
    monkeypatch.setitem(MODELS, 'rtmpose-t', dataclasses.replace(
        MODELS['rtmpose-t'], checkpoint=f'{server.url}/pth/{name}', config='rtmpose-t_coco.py'))
    monkeypatch.setenv('RTMPOSE_CACHE', str(tmp_path))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            pose = build_pose_model('rtmpose-t', backend='torch')
    finally:
        server.close()
    assert pose.backend.name == 'torch' and pose.keypoint_set is COCO17 and (tmp_path / name).is_file()
    assert not [w for w in caught if 'random weights' in str(w.message)]

"""``demo/pose_tracker_demo.py`` run as a subprocess on a short real clip, images and broken inputs."""
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from rtmpose.media.results_io import read_results
from tests.paths import REPO_ROOT, load_script

DEMO = REPO_ROOT / 'demo' / 'pose_tracker_demo.py'
CLIP_FRAMES = 20
DISK_KB = 160  # the full disk's size: a few dozen frames' overlay and results
RECORD_KEYS = {'image_id', 'category_id', 'keypoints', 'score', 'frame_index', 'track_id', 'bbox'}


def run_demo(*args, timeout=120):
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    return subprocess.run([sys.executable, str(DEMO), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=str(REPO_ROOT))


@pytest.fixture(scope='module')
def models(det_dir, peaked_models):
    return ['--det', str(det_dir), '--pose', str(peaked_models['dynamic']), '--threads', '2', '--no-progress']


@pytest.fixture(scope='module')
def clip(tmp_path_factory, video_frames):
    """The first 20 frames of the arm-wrestling video as an mp4 (mp4v)."""
    path = tmp_path_factory.mktemp('clip') / 'wrestling20.mp4'
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'mp4v'), 28, video_frames[0].shape[1::-1])
    assert writer.isOpened()
    for frame in video_frames[:CLIP_FRAMES]:
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture(scope='module')
def bad_files(tmp_path_factory, clip, video_frames):
    folder = tmp_path_factory.mktemp('bad')
    data = clip.read_bytes()
    files = {'truncated_mp4': folder / 'truncated.mp4', 'random_mp4': folder / 'random.mp4',
             'empty_mp4': folder / 'empty.mp4', 'zero_frames': folder / 'zero_frames.mp4',
             'corrupt_jpg': folder / 'corrupt.jpg', 'empty_dir': folder / 'no_images'}
    files['truncated_mp4'].write_bytes(data[:len(data) // 2])  # mp4v/h264 mp4: the index (moov) is at the end
    files['random_mp4'].write_bytes(np.random.default_rng(0).integers(0, 256, 100_000, np.uint8).tobytes())
    files['empty_mp4'].write_bytes(b'')
    writer = cv2.VideoWriter(str(files['zero_frames']), cv2.VideoWriter_fourcc(*'mp4v'), 25, (64, 48))
    writer.release()  # a container with no frame
    files['corrupt_jpg'].write_bytes(b'\xff\xd8\xff\xe0' + np.random.default_rng(1).bytes(3000))
    files['empty_dir'].mkdir()
    (files['empty_dir'] / 'notes.txt').write_text('no images here')
    # a readable AVI cut in the middle: the frames before the cut decode, the rest are missing
    avi = folder / 'clip.avi'
    writer = cv2.VideoWriter(str(avi), cv2.VideoWriter_fourcc(*'MJPG'), 28, video_frames[0].shape[1::-1])
    for frame in video_frames[:CLIP_FRAMES]:
        writer.write(frame)
    writer.release()
    avi_bytes = avi.read_bytes()
    files['truncated_avi'] = folder / 'cut.avi'
    files['truncated_avi'].write_bytes(avi_bytes[:len(avi_bytes) // 2])
    return files


def decoded_frames(path: Path) -> int:
    """Frames FFmpeg (PyAV) decodes from the start of a video, as a player shows them (up to a cut-off end)."""
    import av
    decoded = 0
    try:
        with av.open(str(path)) as container:
            for _ in container.decode(video=0):
                decoded += 1
    except av.FFmpegError:
        pass
    return decoded


def _check_records(records, frames):
    assert records, 'no results'
    assert {r['frame_index'] for r in records} <= set(range(frames))
    for r in records:
        assert RECORD_KEYS <= set(r)
        assert r['category_id'] == 1 and len(r['keypoints']) == 51 and len(r['bbox']) == 4
        assert isinstance(r['track_id'], int) and r['bbox'][2] > 0 and r['bbox'][3] > 0


def test_video_clip(clip, models, tmp_path):
    out = run_demo(clip, *models, '--det-interval', '5', '--show-fps', '--out-dir', tmp_path)
    assert out.returncode == 0, out.stderr
    records = json.loads((tmp_path / 'wrestling20.json').read_text())
    _check_records(records, CLIP_FRAMES)
    assert {r['frame_index'] for r in records} == set(range(CLIP_FRAMES))  # somebody in every frame
    assert all(r['image_id'] == r['frame_index'] for r in records)
    assert not (tmp_path / 'wrestling20.jsonl').exists()
    assert '20 frame(s)' in out.stdout and '4 detector frame(s)' in out.stdout and 'FPS' in out.stdout
    per_frame = {}
    for r in records:
        per_frame.setdefault(r['frame_index'], []).append(r['track_id'])
    assert all(len(ids) == len(set(ids)) for ids in per_frame.values())
    cap = cv2.VideoCapture(str(tmp_path / 'wrestling20.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == CLIP_FRAMES
    ok, frame = cap.read()
    assert ok and frame.shape == (256, 340, 3)
    cap.release()


def test_real_model_with_smoothing_off(clip, det_dir, real_models, tmp_path):
    out = run_demo(clip, '--det', det_dir, '--pose', real_models['peaked'], '--backend', 'onnxruntime',
                   '--no-smooth', '--max-frames', '5', '--out-dir', tmp_path, '--threads', '2')
    assert out.returncode == 0, out.stderr
    records = json.loads((tmp_path / 'wrestling20.json').read_text())
    _check_records(records, 5)
    assert 'fps=' in out.stderr  # the tqdm progress bar shows the pipeline FPS
    assert all(min(r['keypoints'][2::3]) > 0.3 for r in records)


def test_openvino_bfloat16(clip, det_dir, real_models, tmp_path):
    """``--backend openvino --precision bf16`` runs both models in bfloat16; the poses stay where float32 puts them."""
    pytest.importorskip('openvino')
    runs = {}
    for precision in ('f32', 'bf16'):
        out = run_demo(clip, '--det', det_dir, '--pose', real_models['peaked'], '--backend', 'openvino',
                       '--precision', precision, '--max-frames', '3', '--no-smooth', '--no-progress', '--threads', '2',
                       '--out-dir', tmp_path / precision)
        assert out.returncode == 0, out.stderr
        runs[precision] = json.loads((tmp_path / precision / 'wrestling20.json').read_text())
        _check_records(runs[precision], 3)
    assert len(runs['bf16']) == len(runs['f32'])
    f32 = np.array([r['keypoints'] for r in runs['f32']]).reshape(-1, 17, 3)
    bf16 = np.array([r['keypoints'] for r in runs['bf16']]).reshape(-1, 17, 3)
    assert np.median(np.linalg.norm(f32[..., :2] - bf16[..., :2], axis=-1)) < 2.0
    import openvino as ov
    if 'BF16' in ov.Core().get_property('CPU', 'OPTIMIZATION_CAPABILITIES'):  # else OpenVINO runs float32
        assert not np.array_equal(f32, bf16)  # the precision reached the models


def test_precision_needs_openvino(clip, det_dir, real_models, tmp_path):
    out = run_demo(clip, '--det', det_dir, '--pose', real_models['peaked'], '--backend', 'onnxruntime',
                   '--precision', 'bf16', '--out-dir', tmp_path)
    assert out.returncode == 1 and '--backend openvino' in out.stderr and 'Traceback' not in out.stderr


def test_images_gray_rgba_empty_and_a_folder(models, video_frames, shared_dir, bad_files, tmp_path):
    frame = video_frames[0]
    folder = tmp_path / 'photos'
    folder.mkdir()
    cv2.imwrite(str(folder / 'gray.png'), cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    cv2.imwrite(str(folder / 'rgba.png'), cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA))
    cv2.imwrite(str(folder / 'nobody.jpg'), np.zeros((240, 320, 3), np.uint8))
    cv2.imwrite(str(folder / 'one_pixel.png'), frame[:1, :1])
    cv2.imwrite(str(folder / 'sliver.png'), frame[:2])
    (folder / 'broken.jpg').write_bytes(bad_files['corrupt_jpg'].read_bytes())
    coco = cv2.imread(str(shared_dir / 'data' / 'coco' / '000000196141.jpg'))
    cv2.imwrite(str(folder / '000000196141.jpg'), coco)
    out = run_demo(folder, *models, '--out-dir', tmp_path / 'out')
    assert out.returncode == 0, out.stderr
    assert 'broken.jpg' in out.stderr and 'skipped' in out.stderr
    records = json.loads((tmp_path / 'out' / 'photos.json').read_text())
    _check_records(records, 7)
    by_file = {}
    for r in records:
        by_file.setdefault(r['file_name'], []).append(r)
    assert set(by_file) == {'gray.png', 'rgba.png', '000000196141.jpg'}  # nobody in the others
    assert all(r['image_id'] == 196141 for r in by_file['000000196141.jpg'])
    written = sorted(p.name for p in (tmp_path / 'out' / 'photos').iterdir())
    assert written == sorted(['gray.png', 'rgba.png', 'nobody.jpg', 'one_pixel.png', 'sliver.png',
                              '000000196141.jpg'])
    # a single grayscale image
    single = run_demo(folder / 'gray.png', *models, '--out-dir', tmp_path / 'single')
    assert single.returncode == 0, single.stderr
    assert json.loads((tmp_path / 'single' / 'gray.json').read_text())
    assert cv2.imread(str(tmp_path / 'single' / 'gray.png')).shape == frame.shape
    # writing next to the input never overwrites it
    before = (folder / 'gray.png').read_bytes()
    beside = run_demo(folder / 'gray.png', *models, '--out-dir', folder)
    assert beside.returncode == 0, beside.stderr
    assert (folder / 'gray.png').read_bytes() == before and (folder / 'gray_pose.png').is_file()


def test_huge_image(models, video_frames, tmp_path):
    huge = cv2.resize(video_frames[0], (8000, 6000), interpolation=cv2.INTER_NEAREST)
    path = tmp_path / 'huge.jpg'
    cv2.imwrite(str(path), huge, [cv2.IMWRITE_JPEG_QUALITY, 70])
    out = run_demo(path, *models, '--out-dir', tmp_path / 'out')
    assert out.returncode == 0, out.stderr
    records = json.loads((tmp_path / 'out' / 'huge.json').read_text())
    _check_records(records, 1)
    assert max(r['bbox'][2] for r in records) > 2000  # boxes in the huge image's pixels
    assert cv2.imread(str(tmp_path / 'out' / 'huge.jpg')).shape == (6000, 8000, 3)


@pytest.mark.parametrize('case, message', [
    ('missing', 'not found'), ('truncated_mp4', 'cannot open'), ('random_mp4', 'cannot open'),
    ('empty_mp4', 'empty'), ('zero_frames', 'video'), ('corrupt_jpg', 'not a readable image'),
    ('empty_dir', 'no images'), ('webcam', 'webcam')])
def test_bad_inputs_fail_cleanly(case, message, bad_files, models, tmp_path):
    target = {'missing': tmp_path / 'nowhere.mp4', 'webcam': '57'}.get(case) or bad_files[case]
    out = run_demo(target, *models, '--out-dir', tmp_path / 'out')
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert 'error:' in out.stderr and message in out.stderr
    assert 'Traceback' not in out.stderr
    assert not list((tmp_path / 'out').glob('*.mp4'))


def test_bad_model_and_arguments(clip, det_dir, tmp_path):
    out = run_demo(clip, '--det', det_dir, '--pose', tmp_path / 'no_pose.onnx', '--out-dir', tmp_path)
    assert out.returncode == 1 and 'no_pose.onnx' in out.stderr and 'Traceback' not in out.stderr
    out = run_demo(clip, '--det', det_dir, '--pose', det_dir / 'end2end.onnx', '--backend', 'ncnn',
                   '--out-dir', tmp_path)
    assert out.returncode == 1 and 'pnnx' in out.stderr
    out = run_demo(clip, '--det', det_dir, '--pose', 'x.onnx', '--det-interval', '0', '--out-dir', tmp_path)
    assert out.returncode == 2 and 'det-interval' in out.stderr


def test_tensorrt_without_a_usable_engine_is_a_bad_model(clip, det_dir, tmp_path):
    """``--backend tensorrt`` goes through ``build_pose_model``; here (no GPU, or an engine TensorRT cannot read)
    its RuntimeError is reported as a bad model: exit 1, no traceback, nothing written."""
    engine = tmp_path / 'rtmpose.engine'
    engine.write_bytes(b'not a serialized TensorRT engine')
    out = run_demo(clip, '--det', det_dir, '--pose', engine, '--backend', 'tensorrt', '--threads', '2',
                   '--out-dir', tmp_path / 'out')
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert 'could not load the models' in out.stderr and 'TensorRT' in out.stderr and 'Traceback' not in out.stderr
    assert not (tmp_path / 'out').exists()


def test_truncated_video_keeps_the_frames_read(bad_files, models, tmp_path):
    out = run_demo(bad_files['truncated_avi'], *models, '--out-dir', tmp_path)
    assert out.returncode == 3, out.stderr
    assert 'ended after' in out.stderr
    records = json.loads((tmp_path / 'cut.json').read_text())
    frames = {r['frame_index'] for r in records}
    assert 0 < len(frames) < CLIP_FRAMES and frames == set(range(len(frames)))
    cap = cv2.VideoCapture(str(tmp_path / 'cut.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == len(frames)


def _start_and_wait(args, jsonl, min_frames, timeout=60):
    proc = subprocess.Popen([sys.executable, str(DEMO), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(REPO_ROOT))
    deadline = time.time() + timeout
    while time.time() < deadline:
        if jsonl.exists() and len({r['frame_index'] for r in read_results(jsonl)}) >= min_frames:
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f'the demo did not get to {min_frames} frames: {proc.communicate()}')


@pytest.mark.parametrize('sig', [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupt_keeps_the_frames_done(sig, shared_dir, models, tmp_path):
    video = shared_dir / 'video' / 'mmdeploy_arm_wrestling.mp4'
    jsonl = tmp_path / 'mmdeploy_arm_wrestling.jsonl'
    proc = _start_and_wait([video, *models, '--out-dir', tmp_path], jsonl, 4)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    if sig != signal.SIGKILL:  # Ctrl-C / SIGTERM: finalised JSON array, playable video of the same frames
        assert proc.returncode == 130, stderr
        assert ('interrupted' if sig == signal.SIGINT else 'terminated') in stderr and 'Traceback' not in stderr
        assert not jsonl.exists()
        records = json.loads((tmp_path / 'mmdeploy_arm_wrestling.json').read_text())
        frames = {r['frame_index'] for r in records}
        assert len(frames) >= 4 and frames == set(range(len(frames)))
        cap = cv2.VideoCapture(str(tmp_path / 'mmdeploy_arm_wrestling.mp4'))
        assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) >= len(frames)
        assert cap.read()[0]
    else:  # killed: no clean-up ran, but every finished frame is in the flushed .jsonl and the overlay plays
        assert proc.returncode == -signal.SIGKILL
        records = read_results(jsonl)
        frames = {r['frame_index'] for r in records}
        assert len(frames) >= 4 and frames == set(range(len(frames)))
        _check_records(records, 280)
        # issue 23.12: the overlay was unplayable (its index comes at the end); a fragmented MP4 plays as written
        assert decoded_frames(tmp_path / 'mmdeploy_arm_wrestling.mp4') >= len(frames) - 2


def test_pipeline_failure_keeps_results(clip, models, tmp_path, monkeypatch, capsys):
    """An exception on frame 3 (in process, with a failing pose model): exit 4, frames 0-2 saved, video closed."""
    from rtmpose.inference import tracker as tracker_module
    demo = load_script(DEMO)
    original = tracker_module.PoseTracker.__call__

    def failing(self, frame, timestamp=None):
        if self.frame_idx == 3:
            raise RuntimeError('simulated backend failure')
        return original(self, frame, timestamp)

    monkeypatch.setattr(tracker_module.PoseTracker, '__call__', failing)
    status = demo.main([str(clip), *models, '--out-dir', str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 4 and 'simulated backend failure' in err and 'frame 3' in err
    records = json.loads((tmp_path / 'wrestling20.json').read_text())
    assert {r['frame_index'] for r in records} == {0, 1, 2}
    cap = cv2.VideoCapture(str(tmp_path / 'wrestling20.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 3


def test_config_without_checkpoint_is_refused(clip, det_dir, real_models, tmp_path):
    """Issue 16.5: ``--pose CONFIG.py`` without ``--pose-checkpoint`` ran random weights (scores ~8.9) with exit 0."""
    out = run_demo(clip, '--det', det_dir, '--pose', real_models['config'], '--backend', 'torch', '--det-backend',
                   'onnxruntime', '--max-frames', '1', '--no-progress', '--out-dir', tmp_path / 'out')
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert '--pose-checkpoint' in out.stderr and 'without weights' in out.stderr and 'Traceback' not in out.stderr
    assert not (tmp_path / 'out').exists()
    with pytest.warns(UserWarning, match='random weights'):  # the API says so too
        from rtmpose.hub import build_pose_model
        build_pose_model(real_models['config'], backend='torch')


def test_precision_that_runs_is_reported(clip, det_dir, real_models, tmp_path):
    """Issue 16.6: a precision OpenVINO cannot run here was compiled as another one silently; the CLI now prints
    the precision that runs (and the API warns and reads it back in ``runtime.precision``)."""
    pytest.importorskip('openvino')
    import warnings

    from rtmpose.hub import build_pose_model
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        pose = build_pose_model(real_models['peaked'], backend='openvino', precision='f16', threads=2)
    actual = pose.backend.precision
    mismatch = [w for w in caught if 'OpenVINO runs' in str(w.message)]
    assert bool(mismatch) == (actual != 'f16')
    out = run_demo(clip, '--det', det_dir, '--pose', real_models['peaked'], '--backend', 'openvino', '--precision',
                   'f16', '--max-frames', '1', '--no-progress', '--threads', '2', '--out-dir', tmp_path)
    assert out.returncode == 0, out.stderr
    assert f'pose: openvino, {actual}' in out.stdout
    assert ('f16 asked for, which this device does not run' in out.stdout) == (actual != 'f16')


def test_output_folder_that_cannot_be_written(clip, models, tmp_path):
    """Issue 16.13: an --out-dir that is a file (or under one) gave an uncaught traceback."""
    blocker = tmp_path / 'results.txt'
    blocker.write_text('not a folder')
    for out_dir, why in ((blocker, 'is a file'), (blocker / 'sub', 'cannot be written')):
        out = run_demo(clip, *models, '--max-frames', '1', '--out-dir', out_dir)
        assert out.returncode == 1, out.stderr
        assert why in out.stderr and '--out-dir' in out.stderr and 'Traceback' not in out.stderr
    assert blocker.read_text() == 'not a folder'
    locked = tmp_path / 'locked'
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:  # root writes into read-only folders, but not into procfs
        locked = Path('/proc/self')
    out = run_demo(clip, *models, '--max-frames', '1', '--out-dir', locked)
    assert out.returncode == 1 and 'cannot be written' in out.stderr and 'Traceback' not in out.stderr


def test_folder_rerun_skips_its_overlays_and_keeps_the_earlier_result(models, video_frames, tmp_path):
    """Issue 23.17: a second run on a folder read the overlays the first one wrote beside the photos as photos
    (8 frames instead of 4), and a re-run into the same --out-dir replaced the finished result without a word."""
    photos = tmp_path / 'photos'
    photos.mkdir()
    for index in range(4):
        cv2.imwrite(str(photos / f'frame{index}.jpg'), video_frames[5 * index])
    first = run_demo(photos, *models, '--out-dir', tmp_path)  # <out-dir>/photos/ is the input: *_pose.jpg beside
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in photos.glob('*_pose.jpg')) == [f'frame{i}_pose.jpg' for i in range(4)]
    result = (tmp_path / 'photos.json').read_bytes()
    again = run_demo(photos, *models, '--out-dir', tmp_path)
    assert again.returncode == 1 and '--overwrite' in again.stderr and 'earlier run' in again.stderr, again.stderr
    assert (tmp_path / 'photos.json').read_bytes() == result  # left as it was
    replaced = run_demo(photos, *models, '--out-dir', tmp_path, '--overwrite')
    assert replaced.returncode == 0, replaced.stderr
    assert 'skipped 4 image(s) named *_pose.*' in replaced.stderr
    assert json.loads((tmp_path / 'photos.json').read_text()) == json.loads(result)  # 4 photos, as the first run
    assert not list(photos.glob('*_pose_pose.*'))


def test_disk_full_keeps_what_was_done(shared_dir, models, tmp_path):
    """Issue 23.12: a full disk gave a traceback and exit 1 (documented: 4), no ``.json`` and an overlay of no frame.
    A real full disk: a small tmpfs mounted as --out-dir in a user namespace of its own."""
    if shutil.which('unshare') is None or subprocess.run(['unshare', '-rm', 'true']).returncode != 0:
        pytest.skip('no unshare -rm (user namespaces) to mount a small tmpfs here')
    full, kept = tmp_path / 'full', tmp_path / 'kept'
    full.mkdir()
    kept.mkdir()
    video = shared_dir / 'video' / 'mmdeploy_arm_wrestling.mp4'
    demo = shlex.join([sys.executable, str(DEMO), str(video), *models, '--max-frames', '60', '--out-dir', str(full)])
    script = (f'mount -t tmpfs -o size={DISK_KB}k tmpfs {full} && {demo}; status=$?; cp -a {full}/. {kept}/; '
              f'exit $status')
    out = subprocess.run(['unshare', '-rm', 'sh', '-c', script], capture_output=True, text=True, timeout=300,
                         cwd=str(REPO_ROOT), env=dict(os.environ, PYTHONUNBUFFERED='1'))
    assert out.returncode == 4, (out.stdout, out.stderr)
    assert 'No space left on device' in out.stderr and 'Traceback' not in out.stderr, out.stderr
    saved = kept / 'mmdeploy_arm_wrestling.json'
    saved = saved if saved.exists() else saved.with_suffix('.jsonl')
    assert f'are saved in {full / saved.name}' in out.stderr
    frames = {r['frame_index'] for r in read_results(saved)}
    assert 0 < len(frames) < 60 and frames == set(range(len(frames)))
    assert decoded_frames(kept / 'mmdeploy_arm_wrestling.mp4') > 0  # the overlay plays up to the full disk

"""``demo/webui.py`` in a real browser: Debian's headless Chromium driven by Playwright loads the page, uploads the
shared video, waits for the result and checks the JSON, the timing table and the skeletons in the overlay image; bad
uploads show an error in the page while the server keeps serving; the webcam path runs on Chromium's fake camera.

Needs ``chromium`` (Debian package, ``/usr/bin/chromium``) and the ``playwright`` Python package, both installed by
``tools/setup_env.sh``; skips with the reason otherwise. No browser is downloaded.
"""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import require_shared
from tests.paths import CONFIGS, REPO_ROOT

CHROMIUM = Path('/usr/bin/chromium')
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']
FRAMES = 12
EMPTY = 4  # empty frames at the end of the upload
TIMEOUT_MS = 60_000


@pytest.fixture(scope='module')
def peaked_onnx(tmp_path_factory) -> Path:
    """The README demo model (RTMPose-t, 128x96) with peaked SimCC outputs, as ONNX: every box gets a standing-person
    skeleton with scores about 1, so the overlay has skeletons to find."""
    pytest.importorskip('mmpose', reason='MMPose is needed to build RTMPose')
    import torch

    from rtmpose.deploy.torch_export import export_module
    from rtmpose.hub.openmmlab import build_rtmpose_model
    from rtmpose.testing.peaked import PeakedSimCCNet

    torch.manual_seed(0)
    model = build_rtmpose_model(CONFIGS / 'rtmpose-t_demo.py')
    net = PeakedSimCCNet(model)
    return export_module(net, tuple(model.head.decoder.input_size), tmp_path_factory.mktemp('webui') / 'peaked.onnx')


def start_server(work_dir: Path, log: Path, pose: Path, det: Path,
                 max_frames: int = 40) -> tuple[subprocess.Popen, str]:
    """``demo/webui.py`` on a free port of 127.0.0.1 (``--port 0``), as a user starts it: (process, URL)."""
    with log.open('w') as out:
        proc = subprocess.Popen([sys.executable, str(REPO_ROOT / 'demo' / 'webui.py'), '--pose', str(pose),
                                 '--det', str(det), '--port', '0', '--threads', '1', '--max-frames', str(max_frames),
                                 '--work-dir', str(work_dir)],
                                stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
    deadline = time.monotonic() + 60
    while not (found := re.search(r'on (http://127\.0\.0\.1:\d+)', log.read_text())):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f'the server did not start:\n{log.read_text()}')
        time.sleep(0.1)
    return proc, found.group(1)


@pytest.fixture(scope='module')
def det_model(shared_dir) -> Path:
    return require_shared(shared_dir, 'models/rtmdet-nano-person/end2end.onnx').parent


@pytest.fixture(scope='module')
def server(tmp_path_factory, det_model, peaked_onnx):
    """The demo's server for the module's tests; yields its URL."""
    proc, url = start_server(tmp_path_factory.mktemp('webui_jobs'), tmp_path_factory.mktemp('webui_log') / 'server.log',
                             peaked_onnx, det_model)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope='module')
def page(tmp_path_factory):
    if not CHROMIUM.is_file():
        pytest.skip('Debian chromium is not installed (bash tools/setup_env.sh installs it)')
    sync_api = pytest.importorskip('playwright.sync_api', reason='playwright is not installed (tools/setup_env.sh)')
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp('chromium-profile')), executable_path=str(CHROMIUM), headless=True,
            args=FLAGS)
        context.set_default_timeout(TIMEOUT_MS)
        yield context.pages[0] if context.pages else context.new_page()
        context.close()


def upload(page, url: str, file: Path, max_frames: int | None = None) -> None:
    page.goto(url)
    page.wait_for_function("document.getElementById('pose').options.length > 0")
    if max_frames is not None:
        page.fill('#max-frames', str(max_frames))
    page.set_input_files('#file', str(file))
    page.click('#run')
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Done') || "
                           "document.getElementById('error').textContent !== ''")


def video_frame(path: Path, index: int) -> np.ndarray:
    cap = cv2.VideoCapture(str(path))
    for _ in range(index + 1):
        ok, frame = cap.read()
        assert ok
    cap.release()
    return frame


def drawn_links(overlay: np.ndarray, frame: np.ndarray, records: list[dict]) -> tuple[int, int]:
    """(links whose midpoint pixel the overlay changed, links with both ends above 0.3) over ``records``."""
    from rtmpose.metainfo import COCO17

    changed = total = 0
    for record in records:
        kpts = np.reshape(record['keypoints'], (-1, 3))
        for a, b in COCO17.skeleton:
            if min(kpts[a, 2], kpts[b, 2]) > 0.3:
                x, y = np.rint((kpts[a, :2] + kpts[b, :2]) / 2).astype(int)
                if 0 <= x < frame.shape[1] and 0 <= y < frame.shape[0]:
                    total += 1
                    changed += int(np.abs(overlay[y, x].astype(int) - frame[y, x]).max() > 40)
    return changed, total


@pytest.fixture(scope='module')
def ends_empty(tmp_path_factory, shared_dir) -> Path:
    """The shared video's first frames, then empty (black) frames: the last frame has nobody in it."""
    video = require_shared(shared_dir, 'video/mmdeploy_arm_wrestling.mp4')
    path = tmp_path_factory.mktemp('ends_empty') / 'ends_empty.avi'
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'MJPG'), 25, (340, 256))
    for index in range(FRAMES):
        writer.write(video_frame(video, index) if index < FRAMES - EMPTY else np.zeros((256, 340, 3), np.uint8))
    writer.release()
    return path


def test_video_upload_shows_skeletons_timing_and_json(page, server, ends_empty):
    """Issue 23.3: the result showed the last frame (here: nobody in it) and no count per frame; it shows the frame
    with the most people and the people of each frame now."""
    upload(page, server, ends_empty)
    assert page.text_content('#error') == ''
    records = page.context.request.get(server + page.get_attribute('#json-link', 'href')).json()
    counts = [sum(r['frame_index'] == index for r in records) for index in range(FRAMES)]
    assert counts[-EMPTY:] == [0] * EMPTY and max(counts) >= 2
    assert page.text_content('#status').startswith(f'Done: {FRAMES} frame(s), up to {max(counts)} people')
    assert all(len(r['keypoints']) == 17 * 3 and r['category_id'] == 1 for r in records)
    bars = [int(c) for c in page.eval_on_selector_all('#counts rect', 'bars => bars.map(b => b.dataset.count)')]
    assert bars == counts and page.is_visible('#counts')
    stages = dict(zip(page.locator('#timings td:nth-child(1)').all_text_contents(),
                      map(float, page.locator('#timings td:nth-child(2)').all_text_contents())))
    assert stages['detect'] > 0 and stages['pose'] > 0 and stages['total'] >= stages['pose']
    assert page.evaluate("document.getElementById('overlay').naturalWidth") == 340  # the picture loaded
    png = page.context.request.get(server + page.get_attribute('#overlay', 'src')).body()
    overlay = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    best = counts.index(max(counts))  # the first frame with the most people
    changed, total = drawn_links(overlay, video_frame(ends_empty, best), [r for r in records
                                                                           if r['frame_index'] == best])
    assert total >= 10 and changed >= 0.8 * total, (changed, total)


def test_the_overlay_video_plays_in_the_browser(page, server, ends_empty):
    """Issue 23.3: the overlay ``.mp4`` was MPEG-4 Part 2, which browsers do not play; Chromium plays it inline."""
    upload(page, server, ends_empty)
    video = "document.getElementById('overlay-video')"
    page.wait_for_function(f'{video}.readyState >= 2 || {video}.error !== null')
    assert page.evaluate(f'{video}.error') is None
    assert page.evaluate(f'[{video}.videoWidth, {video}.videoHeight]') == [340, 256]
    page.evaluate(f'{video}.play()')
    page.wait_for_function(f'{video}.currentTime > 0.2')
    data = page.context.request.get(server + page.get_attribute('#overlay-link', 'href')).body()
    assert len(data) > 10_000 and b'avc1' in data[:4096]  # H.264 in the header


def test_bad_uploads_show_an_error_and_the_server_goes_on(page, server, shared_dir, tmp_path):
    text = tmp_path / 'notes.txt'
    text.write_text('not a video\n')
    upload(page, server, text)
    assert 'cannot open notes.txt as a video' in page.text_content('#error')  # the user's file, not a server path
    empty = tmp_path / 'empty.mp4'
    writer = cv2.VideoWriter(str(empty), cv2.VideoWriter_fourcc(*'mp4v'), 25, (64, 48))
    writer.release()  # a container without a single frame
    upload(page, server, empty)
    assert re.search(r'empty|cannot open|no frame', page.text_content('#error'))
    image = require_shared(shared_dir, 'data/coco/000000197388.jpg')
    upload(page, server, image)  # the same server still works
    assert page.text_content('#error') == ''
    assert page.text_content('#status').startswith('Done: 1 frame(s)')


def test_a_cut_video_is_done_with_a_warning(page, server, shared_dir, tmp_path):
    """Issue 23.14: a video cut short was "Done" with no word (the CLI warns and exits 3); the page says so now."""
    video = require_shared(shared_dir, 'video/mmdeploy_arm_wrestling.mp4')
    whole = tmp_path / 'whole.avi'
    writer = cv2.VideoWriter(str(whole), cv2.VideoWriter_fourcc(*'MJPG'), 25, (340, 256))
    for index in range(16):
        writer.write(video_frame(video, index))
    writer.release()
    cut = tmp_path / 'cut.avi'
    cut.write_bytes(whole.read_bytes()[:whole.stat().st_size // 2])
    upload(page, server, cut)
    assert page.text_content('#error') == ''
    done = int(re.match(r'Done: (\d+) frame', page.text_content('#status'))[1])
    assert 0 < done < 16 and 'cut short' in page.text_content('#status')
    assert f'the video ended after {done} of 16 announced frames' in page.text_content('#warning')
    assert str(tmp_path) not in page.text_content('#warning')


def _job(url: str, job_id: str) -> dict:
    return http(f'{url}/api/jobs/{job_id}')[1]


def test_ctrl_c_during_a_job_stops_cleanly(tmp_path, shared_dir, det_model, peaked_onnx):
    """Issue 23.14: Ctrl-C on the server during a job aborted it (``terminate called without an active exception``,
    exit 134) and left the job's overlay unplayable; it ends the job after its frame, keeping what was made."""
    proc, url = start_server(tmp_path / 'jobs', tmp_path / 'server.log', peaked_onnx, det_model, max_frames=280)
    try:
        pose = http(f'{url}/api/options')[1]['poses'][0]
        video = require_shared(shared_dir, 'video/mmdeploy_arm_wrestling.mp4')
        query = urllib.parse.urlencode({'pose': pose, 'filename': video.name})
        job_id = http(f'{url}/api/jobs?{query}', video.read_bytes())[1]['id']
        deadline = time.monotonic() + 120
        while _job(url, job_id)['done'] < 3:
            assert time.monotonic() < deadline and proc.poll() is None, (tmp_path / 'server.log').read_text()
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0, (tmp_path / 'server.log').read_text()
    finally:
        proc.kill()
    log = (tmp_path / 'server.log').read_text()
    assert 'terminate called' not in log and 'Traceback' not in log, log
    records = json.loads((tmp_path / 'jobs' / job_id / 'results.json').read_text())
    frames = sorted({r['frame_index'] for r in records})
    assert len(frames) >= 3 and frames == list(range(len(frames)))
    import av
    with av.open(str(tmp_path / 'jobs' / job_id / 'overlay' / f'{video.stem}.mp4')) as container:
        decoded = sum(1 for _ in container.decode(video=0))
    assert decoded == len(frames)  # the overlay was closed: every frame of the results plays


def test_webcam_streams_frames(page, server, shared_dir):
    page.goto(server)
    page.wait_for_function("document.getElementById('pose').options.length > 0")
    page.click('#webcam-start')  # Chromium's fake camera
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Webcam')")
    page.click('#webcam-stop')
    assert page.evaluate("document.getElementById('webcam-out').src").startswith('data:image/jpeg;base64,')
    frame = cv2.imencode('.jpg', cv2.imread(str(require_shared(shared_dir, 'data/coco/000000197388.jpg'))))[1]
    pose = page.evaluate("document.getElementById('pose').value")
    query = urllib.parse.urlencode({'session': 't', 'pose': pose})
    request = urllib.request.Request(f'{server}/api/webcam?{query}', data=frame.tobytes(),
                                     method='POST')
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    assert answer['people'] and all(len(p['keypoints']) == 51 for p in answer['people'])


def http(url: str, data: bytes | None = None) -> tuple[int, dict]:
    """(status, JSON body) of a GET, or a POST of ``data``."""
    request = urllib.request.Request(url, data=data, method='GET' if data is None else 'POST')
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_bad_requests_are_json_errors(server):
    options = http(f'{server}/api/options')[1]
    pose = options['poses'][0]
    assert http(f'{server}/api/jobs?pose=nope&filename=a.jpg', b'x')[0] == 422
    assert 'unknown pose model' in http(f'{server}/api/jobs?pose=nope&filename=a.jpg', b'x')[1]['error']
    assert http(f'{server}/api/jobs?' + urllib.parse.urlencode({'pose': pose}), b'') == (
        400, {'error': 'the upload is empty: choose an image or a video file'})
    status, answer = http(f'{server}/api/jobs?' + urllib.parse.urlencode({'pose': pose, 'det_interval': '0'}), b'x')
    assert status == 400 and 'det_interval' in answer['error']
    status, answer = http(f'{server}/api/jobs?' + urllib.parse.urlencode({'pose': pose, 'backend': 'ncnn'}), b'x')
    assert status == 422 and 'ncnn' in answer['error']  # an ONNX file is no ncnn model: the build's own message
    assert http(f'{server}/api/jobs/0000/results.json')[0] == 404
    assert http(f'{server}/api/webcam?' + urllib.parse.urlencode({'pose': pose}), b'not a jpeg') == (
        422, {'error': 'the webcam frame is not an image'})

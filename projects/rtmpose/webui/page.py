"""The web demo's single page (HTML, CSS and JavaScript, no external resources: it works offline)."""

PAGE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>RTMPose demo</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5em; max-width: 1100px; color: #222; }
  fieldset { border: 1px solid #ccc; margin-bottom: 1em; }
  label { margin-right: 1.2em; }
  #error { color: #b00020; font-weight: bold; white-space: pre-wrap; }
  #overlay, #webcam-out { max-width: 100%; border: 1px solid #ccc; }
  table { border-collapse: collapse; margin-top: .5em; }
  td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: right; }
  progress { width: 300px; }
  video { display: none; }
</style>
</head>
<body>
<h1>RTMPose: real-time multi-person pose estimation</h1>
<fieldset>
  <legend>Model</legend>
  <label>Pose model <select id="pose"></select></label>
  <label>Backend <select id="backend"><option value="">from the file</option></select></label>
  <label>Detector every <input id="det-interval" type="number" min="1" value="1" style="width:4em"> frames</label>
  <label>Frames at most <input id="max-frames" type="number" min="1" style="width:6em"></label>
</fieldset>
<fieldset>
  <legend>Input</legend>
  <input id="file" type="file" accept="image/*,video/*">
  <button id="run">Run</button>
  <button id="webcam-start">Start webcam</button>
  <button id="webcam-stop" disabled>Stop webcam</button>
</fieldset>
<div id="error"></div>
<p><span id="status">Choose an image or a video and press Run.</span> <progress id="progress" value="0" max="1"
  hidden></progress></p>
<p id="links" hidden><a id="json-link" download>Download the JSON</a> &nbsp; <a id="overlay-link" download>Download
  the overlay</a></p>
<img id="overlay" alt="overlay" hidden>
<video id="camera" autoplay muted playsinline></video>
<img id="webcam-out" alt="webcam overlay" hidden>
<table id="timings" hidden><thead><tr><th>stage</th><th>ms per frame</th></tr></thead><tbody></tbody></table>
<script>
const $ = (id) => document.getElementById(id);
let camera = null;
const session = Math.random().toString(36).slice(2);

function showError(message) { $('error').textContent = message ? 'Error: ' + message : ''; }

function showTimings(timings) {
  const body = $('timings').querySelector('tbody');
  body.innerHTML = '';
  for (const [stage, ms] of Object.entries(timings || {})) {
    const row = body.insertRow();
    row.insertCell().textContent = stage;
    row.insertCell().textContent = ms.toFixed(2);
  }
  $('timings').hidden = Object.keys(timings || {}).length === 0;
}

async function loadOptions() {
  const options = await (await fetch('/api/options')).json();
  for (const name of options.poses) $('pose').add(new Option(name, name));
  for (const name of options.backends) $('backend').add(new Option(name, name));
  if (options.max_frames) $('max-frames').max = $('max-frames').placeholder = options.max_frames;
}

function modelQuery(extra) {
  return new URLSearchParams({pose: $('pose').value, backend: $('backend').value, ...extra});
}

async function run() {
  showError('');
  const file = $('file').files[0];
  if (!file) { showError('choose an image or a video file first'); return; }
  $('links').hidden = true;
  $('status').textContent = 'Uploading ' + file.name + '...';
  const query = modelQuery({det_interval: $('det-interval').value, max_frames: $('max-frames').value,
                            filename: file.name});
  try {
    const response = await fetch('/api/jobs?' + query, {method: 'POST', body: file});
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error);
    await follow(answer.id);
  } catch (err) {
    showError(err.message);
    $('status').textContent = 'Failed.';
  }
}

async function follow(id) {
  const bar = $('progress');
  bar.hidden = false;
  for (;;) {
    const job = await (await fetch('/api/jobs/' + id)).json();
    bar.max = job.total || Math.max(job.done, 1);
    bar.value = job.done;
    $('status').textContent = job.state === 'done' ? `Done: ${job.done} frame(s), ${job.people} people in the last.`
      : `${job.state}: frame ${job.done}${job.total ? ' of ' + job.total : ''}`;
    if (job.has_preview) {
      $('overlay').src = `/api/jobs/${id}/preview.png?n=${job.done}`;
      $('overlay').hidden = false;
    }
    showTimings(job.timings_ms);
    if (job.state === 'error') throw new Error(job.error);
    if (job.state === 'done') {
      $('json-link').href = `/api/jobs/${id}/results.json`;
      $('overlay-link').href = `/api/jobs/${id}/overlay`;
      $('links').hidden = false;
      bar.hidden = true;
      $('status').dataset.job = id;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function webcamLoop() {
  const canvas = document.createElement('canvas');
  while (camera) {
    const video = $('camera');
    if (video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
      const response = await fetch('/api/webcam?' + modelQuery({session}), {method: 'POST', body: blob});
      const answer = await response.json();
      if (!response.ok) { showError(answer.error); stopWebcam(); return; }
      $('webcam-out').src = answer.image;
      $('webcam-out').hidden = false;
      showTimings(answer.timings_ms);
      $('status').textContent = `Webcam: ${answer.people.length} people`;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function startWebcam() {
  showError('');
  try {
    camera = await navigator.mediaDevices.getUserMedia({video: true});
  } catch (err) {
    showError('cannot open the webcam: ' + err.message);
    return;
  }
  $('camera').srcObject = camera;
  $('webcam-start').disabled = true;
  $('webcam-stop').disabled = false;
  webcamLoop();
}

function stopWebcam() {
  if (camera) camera.getTracks().forEach((track) => track.stop());
  camera = null;
  $('webcam-start').disabled = false;
  $('webcam-stop').disabled = true;
}

$('run').addEventListener('click', run);
$('webcam-start').addEventListener('click', startWebcam);
$('webcam-stop').addEventListener('click', stopWebcam);
loadOptions().catch((err) => showError('cannot reach the server: ' + err.message));
</script>
</body>
</html>
"""

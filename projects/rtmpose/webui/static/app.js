// The web demo's page: uploads with their progress and result, and the webcam loop (no external resources).
const $ = (id) => document.getElementById(id);
let camera = null;
const session = Math.random().toString(36).slice(2);

function showError(message) { $('error').textContent = message ? 'Error: ' + message : ''; }
function showWarning(message) { $('warning').textContent = message ? 'Warning: ' + message : ''; }

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

// People per frame as a bar chart, the representative (best) frame in another colour.
function showCounts(counts, best) {
  const svg = $('counts');
  const most = Math.max(1, ...counts);
  const width = Math.max(2, Math.floor(800 / Math.max(counts.length, 1)));
  svg.setAttribute('width', width * counts.length);
  svg.innerHTML = '';
  counts.forEach((count, index) => {
    const bar = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    const height = Math.round(56 * count / most) + 1;
    bar.setAttribute('x', index * width);
    bar.setAttribute('y', 60 - height);
    bar.setAttribute('width', Math.max(1, width - 1));
    bar.setAttribute('height', height);
    bar.dataset.count = count;
    if (index === best) bar.classList.add('best');
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = `frame ${index + 1}: ${count} people`;
    bar.appendChild(title);
    svg.appendChild(bar);
  });
  const shown = best === null ? '' : `; the picture is frame ${best + 1}, with the most (${counts[best]})`;
  $('counts-caption').textContent = `People per frame: ${Math.min(...counts)} to ${Math.max(...counts)}${shown}.`;
  $('per-frame').hidden = counts.length === 0;
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

function resetResult() {
  showError('');
  showWarning('');
  for (const id of ['links', 'per-frame', 'overlay', 'overlay-video']) $(id).hidden = true;
  $('overlay-video').removeAttribute('src');
}

async function run() {
  resetResult();
  const file = $('file').files[0];
  if (!file) { showError('choose an image or a video file first'); return; }
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

function doneText(job) {
  const most = job.best_frame === null ? 0 : job.counts[job.best_frame];
  return `Done: ${job.done} frame(s), up to ${most} people in a frame` + (job.warning ? ' (cut short)' : '') + '.';
}

function showResult(id, job) {
  $('json-link').href = `/api/jobs/${id}/results.json`;
  $('overlay-link').href = `/api/jobs/${id}/overlay`;
  $('links').hidden = false;
  showWarning(job.warning);
  showCounts(job.counts, job.best_frame);
  if (job.video) {
    $('overlay-video').src = `/api/jobs/${id}/overlay`;
    $('overlay-video').hidden = false;
  }
}

async function follow(id) {
  const bar = $('progress');
  bar.hidden = false;
  for (;;) {
    const job = await (await fetch('/api/jobs/' + id)).json();
    bar.max = job.total || Math.max(job.done, 1);
    bar.value = job.done;
    $('status').textContent = job.state === 'done' ? doneText(job)
      : `${job.state}: frame ${job.done}${job.total ? ' of ' + job.total : ''}`;
    if (job.has_preview) {
      $('overlay').src = `/api/jobs/${id}/preview.png?n=${job.done}&state=${job.state}`;
      $('overlay').hidden = false;
    }
    showTimings(job.timings_ms);
    if (job.state === 'error') throw new Error(job.error);
    if (job.state === 'done') {
      showResult(id, job);
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

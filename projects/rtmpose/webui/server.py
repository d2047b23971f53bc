"""The web demo's HTTP server (standard library): the page, the job API and the webcam endpoint.

Routes::

    GET  /                               the page (``static/index.html``)
    GET  /static/<file>                  the page's script and style sheet (``static/``, shipped with the package)
    GET  /api/options                    {"poses": [...], "backends": [...], "max_frames": N}
    POST /api/jobs?pose=&backend=&det_interval=&max_frames=&filename=   body: the file -> {"id": ...}
    GET  /api/jobs/<id>                  the job's state, progress, timing and error
    GET  /api/jobs/<id>/preview.png      the latest overlay frame; once done, the one with the most people
    GET  /api/jobs/<id>/results.json     the COCO-format results (download)
    GET  /api/jobs/<id>/overlay          the overlay video (H.264 .mp4, byte ranges for the page's player) or image
    POST /api/webcam?session=&pose=&backend=                            body: a JPEG -> overlay and records

Errors are JSON ``{"error": message}`` (4xx for a bad request, 500 for a failure such as a model download
without internet); a request never stops the server.
"""
from __future__ import annotations

import json
import mimetypes
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..media.sources import InputError
from .jobs import JobQueue, JobRequest
from .webcam import WebcamSessions

#: Largest upload accepted (bytes).
MAX_UPLOAD = 512 * 1024 * 1024
#: The page's files, beside this module (package data).
STATIC = resources.files(__package__) / 'static'


class RequestError(Exception):
    """A bad request: ``status`` and the message for the page."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


class DemoServer(ThreadingHTTPServer):
    """The server with the app's state (``jobs``, ``webcam``)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], jobs: JobQueue, webcam: WebcamSessions) -> None:
        super().__init__(address, DemoHandler)
        self.jobs, self.webcam = jobs, webcam

    def shutdown_jobs(self, reason: str) -> None:
        """Stop the job in hand after its frame (its overlay and results closed and kept) and wait for any
        inference in flight, so that the process exits with no thread inside a runtime."""
        self.jobs.shutdown(reason)
        self.jobs.choices.lock.acquire()  # a webcam request's inference finishes first; none starts after


def _int_param(query: dict[str, list[str]], name: str, default: int | None, low: int = 1) -> int | None:
    value = query.get(name, [''])[0].strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < low:
        raise RequestError(f'{name} must be a whole number >= {low}, got {value!r}')
    return int(value)


class DemoHandler(BaseHTTPRequestHandler):
    """Answers one request of the page."""

    server: DemoServer
    protocol_version = 'HTTP/1.1'

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Quiet: no line per request."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._answer(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._answer(self._post)

    def _answer(self, route) -> None:
        url = urlsplit(self.path)
        try:
            route(url.path, parse_qs(url.query))
        except RequestError as err:
            self._json({'error': str(err)}, err.status)
        except (InputError, ValueError, FileNotFoundError, RuntimeError) as err:
            self._json({'error': str(err)}, HTTPStatus.UNPROCESSABLE_ENTITY)
        except Exception as err:  # noqa: BLE001 - e.g. a model download that failed: the page shows why
            self._json({'error': f'{type(err).__name__}: {err}'}, HTTPStatus.INTERNAL_SERVER_ERROR)

    def _get(self, path: str, query: dict[str, list[str]]) -> None:
        if path == '/' or path.startswith('/static/'):
            return self._static(path.removeprefix('/static/') if path != '/' else 'index.html')
        if path == '/api/options':
            return self._json({**self.server.jobs.choices.options(), 'max_frames': self.server.jobs.max_frames})
        parts = path.strip('/').split('/')
        if len(parts) < 3 or parts[:2] != ['api', 'jobs'] or parts[2] not in self.server.jobs.jobs:
            raise RequestError(f'no such page: {path}', HTTPStatus.NOT_FOUND)
        job = self.server.jobs.jobs[parts[2]]
        what = parts[3] if len(parts) > 3 else ''
        if what == '':
            return self._json(job.status())
        if what == 'preview.png' and job.preview is not None:
            return self._send(job.preview, 'image/png')
        if what == 'results.json' and job.results is not None:
            return self._file(job.results, f'{job.upload.stem}_results.json')
        if what == 'overlay' and job.overlay is not None:
            return self._file(job.overlay, f'{job.upload.stem}_pose{job.overlay.suffix}')
        raise RequestError(f'{what or "it"} is not ready (job {job.state})', HTTPStatus.NOT_FOUND)

    def _static(self, name: str) -> None:
        file = STATIC / name
        if '/' in name or name.startswith('.') or not file.is_file():
            raise RequestError(f'no such page: /static/{name}', HTTPStatus.NOT_FOUND)
        kind = mimetypes.guess_type(name)[0] or 'application/octet-stream'
        self._send(file.read_bytes(), f'{kind}; charset=utf-8' if kind.startswith('text/') else kind)

    def _post(self, path: str, query: dict[str, list[str]]) -> None:
        data = self._body()
        pose, backend = query.get('pose', [''])[0], query.get('backend', [''])[0]
        if path == '/api/jobs':
            if not data:
                raise RequestError('the upload is empty: choose an image or a video file')
            request = JobRequest(pose, backend, _int_param(query, 'det_interval', 1),
                                 _int_param(query, 'max_frames', None))
            self.server.jobs.choices.pipeline(pose, backend)  # a bad model or runtime is this request's error
            job = self.server.jobs.submit(data, query.get('filename', ['upload'])[0], request)
            return self._json({'id': job.id}, HTTPStatus.ACCEPTED)
        if path == '/api/webcam':
            session = query.get('session', [''])[0] or self.client_address[0]
            return self._json(self.server.webcam.frame(session, data, pose, backend))
        raise RequestError(f'no such endpoint: POST {path}', HTTPStatus.NOT_FOUND)

    def _body(self) -> bytes:
        length = int(self.headers.get('Content-Length') or 0)
        if length > MAX_UPLOAD:
            self.close_connection = True
            raise RequestError(f'the upload is {length / 2**20:.0f} MiB; the limit is {MAX_UPLOAD // 2**20} MiB',
                               HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        return self.rfile.read(length) if length else b''

    def _json(self, value: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(json.dumps(value).encode(), 'application/json', status)

    def _file(self, path: Path, download_name: str) -> None:
        """The file, or the byte range a media player asks for (``Range: bytes=a-b``)."""
        kind = mimetypes.guess_type(path.name)[0] or 'application/octet-stream'
        data = path.read_bytes()
        headers = {'Content-Disposition': f'attachment; filename="{download_name}"', 'Accept-Ranges': 'bytes'}
        wanted = re.fullmatch(r'bytes=(\d+)-(\d*)', self.headers.get('Range', ''))
        if wanted is None:
            return self._send(data, kind, headers=headers)
        start, end = int(wanted[1]), min(int(wanted[2] or len(data) - 1), len(data) - 1)
        if start > end:
            headers['Content-Range'] = f'bytes */{len(data)}'
            return self._send(b'', kind, HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, headers)
        headers['Content-Range'] = f'bytes {start}-{end}/{len(data)}'
        self._send(data[start:end + 1], kind, HTTPStatus.PARTIAL_CONTENT, headers)

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header('Content-Type', kind)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Cache-Control', 'no-store')
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

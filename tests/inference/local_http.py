"""A real HTTP server on 127.0.0.1 for the download tests: serves files by URL path with ``Range`` support, and
misbehaves on demand (a transfer cut in the middle, a stall, a slow transfer, 404)."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    """``files``: URL path -> bytes. ``cut_once``: paths whose first full request sends only half the bytes and closes.
    ``stall``: paths that send the headers and then nothing. ``slow``: paths sent in 10 pieces 0.2 s apart.
    ``requests``: (path, Range header) of every request."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.cut_once: set[str] = set()
        self.stall: set[str] = set()
        self.slow: set[str] = set()
        self.requests: list[tuple[str, str | None]] = []
        self.server = ThreadingHTTPServer(('127.0.0.1', 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.server.server_address[1]}'

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append((self.path, self.headers.get('Range')))
                data = server.files.get(self.path)
                if data is None:
                    self.send_error(404, 'Not Found')
                    return
                start = int(self.headers['Range'][6:].split('-')[0]) if self.headers.get('Range') else 0
                self.send_response(206 if start else 200)
                self.send_header('Content-Length', str(len(data) - start))
                self.end_headers()
                if self.path in server.stall:
                    time.sleep(3)
                    return
                if self.path in server.cut_once and not start:
                    server.cut_once.discard(self.path)
                    self.wfile.write(data[:len(data) // 2])
                    return
                if self.path in server.slow:
                    step = -(-(len(data) - start) // 10)
                    for i in range(start, len(data), step):
                        self.wfile.write(data[i:i + step])
                        self.wfile.flush()
                        time.sleep(0.2)
                    return
                self.wfile.write(data[start:])

        return Handler

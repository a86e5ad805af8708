"""A local HTTP server answering canned responses, for the unit tests."""

import gzip
import http.server
import json
import threading


class Stub:
    """Serves answers in order (the last one repeats) and records the requests.

    An answer is (status, headers dict, body str or dict); a dict body is sent as
    JSON. A header "X-Gzip" asks for the body to be gzip-encoded.
    """

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []
        self._lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                with stub._lock:
                    stub.requests.append(
                        {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body.decode()}
                    )
                    status, headers, payload = stub.answers[min(len(stub.requests), len(stub.answers)) - 1]
                data = payload if isinstance(payload, str) else json.dumps(payload)
                raw = data.encode()
                headers = dict(headers or {})
                if headers.pop("X-Gzip", None):
                    raw = gzip.compress(raw)
                    headers["Content-Encoding"] = "gzip"
                self.send_response(status)
                headers.setdefault("Content-Type", "application/json")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


def envelope(code, message="m", details=None):
    return {
        "error": {"code": code, "message": message, "details": details if details is not None else {"field": "query"}},
        "timestamp": "2026-01-02T03:04:05Z",
        "request_id": "req_env",
    }

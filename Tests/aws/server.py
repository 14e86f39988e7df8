"""A `rampart serve` of its own for a test: a temporary state directory, a free loopback port,
the admin token, and REST calls with the bearer token.

The binary is `$RAMPART_BIN_DIR/rampart` (default `.build/debug/rampart` in the repository). A
missing binary is a failure, not a skip: `make test` builds it first.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("RAMPART_BIN_DIR") or REPOSITORY / ".build" / "debug")
RAMPART = BIN_DIR / "rampart"
REGION = "us-east-1"
ACCOUNT = "000000000000"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def __str__(self) -> str:
        return f"{self.status} {dict(self.headers)} {self.body[:600]!r}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send(port: int, method: str, path: str, headers: dict[str, str] | None = None,
         body: bytes | None = None, timeout: float = 30) -> Response:
    """One HTTP request to 127.0.0.1:port with exactly these headers (http.client adds Host,
    Accept-Encoding and Content-Length when they are not given)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return Response(reply.status, reply.headers, reply.read())
    finally:
        connection.close()


class RampartServer:
    """`rampart serve` on 127.0.0.1:<free port> with a temporary state directory."""

    def __init__(self, region: str = REGION, account: str = ACCOUNT):
        self.region = region
        self.account = account
        self.port = 0
        self.state_dir: Path | None = None
        self.process: subprocess.Popen | None = None
        self.token = ""

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def control_socket(self) -> Path:
        return self.state_dir / "rampart.sock"

    def start(self, timeout: float = 60) -> "RampartServer":
        if not os.access(RAMPART, os.X_OK):
            raise AssertionError(f"{RAMPART} is missing or not executable; build it first (swift build)")
        self.state_dir = Path(tempfile.mkdtemp(prefix="rampart-aws-"))
        self.port = free_port()
        log = open(self.state_dir / "serve.log", "wb")
        self.process = subprocess.Popen(
            [str(RAMPART), "serve", "--state-dir", str(self.state_dir), "--listen", f"127.0.0.1:{self.port}",
             "--region", self.region, "--account-id", self.account],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            token_file = self.state_dir / "admin.token"
            try:
                if token_file.exists() and send(self.port, "GET", "/healthz", timeout=2).status == 200:
                    self.token = token_file.read_text().strip()
                    if self.token:
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        log_text = self.log_tail()
        self.stop()
        raise AssertionError(f"rampart serve did not become ready:\n{log_text}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join((self.state_dir / "serve.log").read_text(errors="replace").splitlines()[-lines:])
        except (OSError, TypeError):
            return "(no log)"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        if self.state_dir is not None:
            shutil.rmtree(self.state_dir, ignore_errors=True)
            self.state_dir = None

    # REST with the admin bearer token -------------------------------------------------------
    def rest(self, method: str, path: str, body=None, token: str | None = None) -> Response:
        headers = {"Authorization": f"Bearer {self.token if token is None else token}"}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return send(self.port, method, path, headers, data)

    def create_access_key(self) -> dict:
        reply = self.rest("POST", "/v1/access-keys")
        if reply.status != 201:
            raise AssertionError(f"POST /v1/access-keys: {reply}")
        return reply.json()

    def delete_access_key(self, access_key_id: str) -> Response:
        return self.rest("DELETE", f"/v1/access-keys/{access_key_id}")

    def __enter__(self) -> "RampartServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

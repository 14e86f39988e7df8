"""`rampart lab up/down` around a test: namespaces P-client (198.18.0.2), P-fw and P-server
(198.19.0.2) with one worker bound to a firewall. Needs root."""

from __future__ import annotations

import random
import string
import subprocess
import time
from pathlib import Path

from server import RAMPART


def unique_prefix() -> str:
    return "aw" + "".join(random.choice(string.ascii_lowercase) for _ in range(3))


class Lab:
    def __init__(self, control_socket: Path, firewall: str, run_dir: Path, workers: int = 1):
        self.prefix = unique_prefix()
        self.control_socket = control_socket
        self.firewall = firewall
        self.run_dir = run_dir
        self.workers = workers
        self.started = False

    def up(self) -> str:
        self.started = True  # even a half-made lab is taken down
        done = subprocess.run(
            [str(RAMPART), "lab", "up", "--prefix", self.prefix, "--control", str(self.control_socket),
             "--firewall", self.firewall, "--workers", str(self.workers), "--run-dir", str(self.run_dir)],
            capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"lab up failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def down(self) -> None:
        if not self.started:
            return
        subprocess.run([str(RAMPART), "lab", "down", "--prefix", self.prefix, "--run-dir", str(self.run_dir)],
                       capture_output=True, text=True, timeout=120)
        self.started = False


SERVER_ADDRESS = "198.19.0.2"
_HTTP_SERVER = """import functools, http.server, socketserver, sys
socketserver.ThreadingTCPServer.allow_reuse_address = True
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
socketserver.ThreadingTCPServer((sys.argv[3], int(sys.argv[1])), handler).serve_forever()"""


def serve_http(lab: Lab, port: int, directory: Path) -> subprocess.Popen:
    """A plain HTTP server on 198.19.0.2:port in the lab's server namespace (stop it by its pid)."""
    process = subprocess.Popen(
        ["ip", "netns", "exec", f"{lab.prefix}-server", "python3", "-c", _HTTP_SERVER, str(port), str(directory),
         SERVER_ADDRESS], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        listening = subprocess.run(["ip", "netns", "exec", f"{lab.prefix}-server", "ss", "-ltnH"],
                                   capture_output=True, text=True).stdout
        if f"{SERVER_ADDRESS}:{port} " in listening:
            return process
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"the lab HTTP server on port {port} did not start")


def client_curl(lab: Lab, port: int, timeout: int = 3) -> int:
    """curl from the lab's client to the server; returns curl's exit status (0, 7 refused/reset, 28 timeout)."""
    return subprocess.run(["ip", "netns", "exec", f"{lab.prefix}-client", "curl", "-s", "-o", "/dev/null",
                           "-m", str(timeout), f"http://{SERVER_ADDRESS}:{port}/"],
                          capture_output=True, timeout=timeout + 10).returncode

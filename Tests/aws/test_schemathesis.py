"""Schemathesis 4.x against openapi.yaml on a live server, with the admin bearer token: no
server errors, and responses conform to the document (status code, content type, schema).

Nothing is excluded: `POST /` needs SigV4, which schemathesis does not compute, so every request
it makes there must get one of the documented refusals (400/403 with the AWS error bodies).
RAMPART_SCHEMATHESIS_EXAMPLES (default 20) bounds the examples per operation.
Run: python3 -m unittest discover -s Tests/aws -p 'test_schemathesis.py' -v
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from server import REPOSITORY, RampartServer

HERE = Path(__file__).resolve().parent
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
EXAMPLES = os.environ.get("RAMPART_SCHEMATHESIS_EXAMPLES", "20")
TIME_LIMIT = 420  # seconds for the whole run


class SchemathesisTests(unittest.TestCase):
    def test_openapi_conformance(self):
        with RampartServer() as server:
            reports = Path(tempfile.mkdtemp(prefix="rampart-schemathesis-"))
            self.addCleanup(shutil.rmtree, reports, True)
            env = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks",
                       PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])))
            argv = [sys.executable, "-m", "schemathesis.cli", "run", str(REPOSITORY / "openapi.yaml"),
                    "--url", server.endpoint, "--header", f"Authorization: Bearer {server.token}",
                    "--checks", CHECKS, "--max-examples", EXAMPLES, "--seed", os.environ.get("RAMPART_SCHEMATHESIS_SEED", "1"),
                    "--workers", "1", "--request-timeout", "30", "--no-color",
                    "--report", "junit", "--report-dir", str(reports)]
            try:
                done = subprocess.run(argv, env=env, cwd=reports, capture_output=True, text=True, timeout=TIME_LIMIT)
            except subprocess.TimeoutExpired as timeout:
                self.fail(f"schemathesis ran over {TIME_LIMIT} s:\n{(timeout.stdout or b'')[-4000:]}")
            output = done.stdout + done.stderr
            if done.returncode != 0:
                print(output[-20000:])
                print("server log:\n" + server.log_tail(60))
            else:
                print("\n".join(output.splitlines()[-12:]))
            self.assertEqual(done.returncode, 0, f"schemathesis failed (exit {done.returncode}); output above")


if __name__ == "__main__":
    unittest.main()

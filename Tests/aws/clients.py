"""The aws CLI and boto3, pointed at a test server with one access key and no config files."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass

import boto3
from botocore.config import Config

# Nothing from ~/.aws, and never a metadata-service lookup (no traffic beyond loopback).
ISOLATION = {
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_MAX_ATTEMPTS": "1",
    "AWS_RETRY_MODE": "standard",
}
for _name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
              "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"):
    os.environ.pop(_name, None)
os.environ.update(ISOLATION)


def cli_env(key: dict, region: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(ISOLATION)
    env.update({
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
        "AWS_DEFAULT_REGION": region,
        "AWS_PAGER": "",
    })
    return env


def _service_error_exit() -> int:
    """The exit status of a command the service answered with an error: 254 in aws CLI v2, but
    255 (any failure) in v1, which is what `make deps` installs (awscli 1.x)."""
    from awscli import __version__ as version
    return 254 if int(version.split(".")[0]) >= 2 else 255


SERVICE_ERROR_EXIT = _service_error_exit()


@dataclass
class CliResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout) if self.stdout.strip() else {}

    def __str__(self) -> str:
        return f"aws {' '.join(self.args)} -> exit {self.returncode}\nstdout: {self.stdout[:2000]}\nstderr: {self.stderr[:2000]}"


class AwsCli:
    """Runs `aws --endpoint-url <server> …` with the given access key."""

    def __init__(self, endpoint: str, key: dict, region: str):
        self.endpoint = endpoint
        self.env = cli_env(key, region)

    def run(self, *args: str, timeout: float = 60) -> CliResult:
        argv = ["aws", "--endpoint-url", self.endpoint, "--output", "json", *args]
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=timeout)
        return CliResult(list(args), done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str) -> dict:
        result = self.run(*args)
        if result.returncode != 0:
            raise AssertionError(f"expected success:\n{result}")
        return result.json()


def boto3_client(service: str, endpoint: str, key: dict, region: str):
    session = boto3.session.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name=region)
    config = Config(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60)
    return session.client(service, endpoint_url=endpoint, config=config)

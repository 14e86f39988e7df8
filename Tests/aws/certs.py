"""Certificates made with the openssl command line for the ACM tests."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def rsa_ca(directory: Path, name: str = "ca", common_name: str = "ca.rampart.test") -> tuple[Path, Path]:
    """A self-signed RSA 2048 CA (basicConstraints CA:TRUE, keyUsage keyCertSign): (cert, key)."""
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30",
             "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={common_name}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return cert, key


def resign(directory: Path, key: Path, name: str, common_name: str) -> Path:
    """Another self-signed CA certificate for an existing key (material for a re-import)."""
    cert = directory / f"{name}.pem"
    _openssl("req", "-x509", "-new", "-key", str(key), "-sha256", "-days", "60", "-out", str(cert),
             "-subj", f"/CN={common_name}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return cert


def ec_server_cert(directory: Path, name: str = "ec", common_name: str = "ec.rampart.test") -> tuple[Path, Path]:
    """A self-signed EC P-256 server certificate with one DNS name: (cert, key)."""
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-sha256", "-days", "30", "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={common_name}",
             "-addext", f"subjectAltName=DNS:{common_name}",
             "-addext", "keyUsage=critical,digitalSignature",
             "-addext", "extendedKeyUsage=serverAuth")
    return cert, key


def serial_of(cert: Path) -> int:
    out = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-serial"],
                         check=True, capture_output=True, text=True).stdout
    return int(out.strip().split("=", 1)[1], 16)


def pem_body(text: str) -> str:
    """The base64 of a PEM certificate without line breaks, to compare two PEM texts."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return "".join(line for line in lines if line and not line.startswith("-----"))


def pem_b64(path: Path) -> str:
    """A file's bytes as base64, the way SDKs send ImportCertificate's blobs."""
    import base64
    return base64.b64encode(path.read_bytes()).decode()

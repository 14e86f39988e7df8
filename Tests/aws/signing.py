"""Hand-built SigV4 requests (botocore's SigV4Auth on an AWSRequest), so a test can sign a
request and then change any part of it before sending it with http.client."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NF_TARGET = "NetworkFirewall_20201112."
ACM_TARGET = "CertificateManager."
NF_JSON = "application/x-amz-json-1.0"
ACM_JSON = "application/x-amz-json-1.1"
TIMESTAMP = "%Y%m%dT%H%M%SZ"


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class TestSigner(SigV4Auth):
    """SigV4Auth with a chosen signing time, an optional credential-scope date other than the
    time's date (signed consistently, key derived from the scope date as a verifier would), and
    headers that can be left out of SignedHeaders."""

    def __init__(self, credentials: Credentials, service: str, region: str,
                 when: datetime.datetime | None = None, scope_date: str | None = None,
                 unsigned: tuple[str, ...] = ()):
        super().__init__(credentials, service, region)
        self.when = when
        self.scope_date = scope_date
        self.unsigned = {name.lower() for name in unsigned}

    def _modify_request_before_signing(self, request):
        if self.when is not None:
            request.context["timestamp"] = self.when.strftime(TIMESTAMP)
        super()._modify_request_before_signing(request)

    def headers_to_sign(self, request):
        headers = super().headers_to_sign(request)
        for name in self.unsigned:
            del headers[name]
        return headers

    def _date(self, request) -> str:
        return self.scope_date or request.context["timestamp"][0:8]

    def scope(self, request):
        return "/".join([self.credentials.access_key, self.credential_scope(request)])

    def credential_scope(self, request):
        return "/".join([self._date(request), self._region_name, self._service_name, "aws4_request"])

    def signature(self, string_to_sign, request):
        def mac(key: bytes, message: str) -> bytes:
            return hmac.new(key, message.encode(), hashlib.sha256).digest()
        key = mac(f"AWS4{self.credentials.secret_key}".encode(), self._date(request))
        for part in (self._region_name, self._service_name, "aws4_request"):
            key = mac(key, part)
        return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


@dataclass
class SignedRequest:
    """What goes on the wire; change any field, then `send` it."""
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    extra: dict = field(default_factory=dict)

    def copy(self) -> "SignedRequest":
        return SignedRequest(self.method, self.path, dict(self.headers), self.body, dict(self.extra))

    def authorization_parts(self) -> dict[str, str]:
        scheme, _, rest = self.headers["Authorization"].partition(" ")
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        parts["scheme"] = scheme
        return parts

    def set_authorization(self, scheme: str = "AWS4-HMAC-SHA256", **parts: str) -> None:
        self.headers["Authorization"] = f"{scheme} " + ", ".join(f"{k}={v}" for k, v in parts.items())


def sign(port: int, key: dict, method: str, path: str, *, body: bytes = b"", headers: dict | None = None,
         service: str, region: str, when: datetime.datetime | None = None, scope_date: str | None = None,
         unsigned: tuple[str, ...] = (), signed_path: str | None = None) -> SignedRequest:
    """Signs `method path` (or `signed_path`, to send it elsewhere) for 127.0.0.1:port."""
    url = f"http://127.0.0.1:{port}{signed_path or path}"
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    credentials = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
    TestSigner(credentials, service, region, when=when, scope_date=scope_date, unsigned=unsigned).add_auth(request)
    return SignedRequest(method, path, {k: v for k, v in request.headers.items()}, body)


def sign_target(port: int, key: dict, operation: str, payload: dict | bytes, *, region: str,
                service: str | None = None, acm: bool | None = None, **options) -> SignedRequest:
    """A signed `POST /` for a Network Firewall operation (or ACM's, for `CertificateManager.*`
    operations or acm=True)."""
    if acm is None:
        acm = operation.startswith(ACM_TARGET)
    target = operation if "." in operation else (ACM_TARGET if acm else NF_TARGET) + operation
    headers = {"Content-Type": ACM_JSON if acm else NF_JSON, "X-Amz-Target": target}
    headers.update(options.pop("headers", {}) or {})
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return sign(port, key, "POST", "/", body=body, headers=headers, region=region,
                service=service or ("acm" if acm else "network-firewall"), **options)


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def send_signed(port: int, request: SignedRequest):
    from server import send
    return send(port, request.method, request.path, request.headers, request.body or None)

"""The headers every answer carries (the policy's revision and digest, no sniffing or framing, a
Content-Security-Policy, a Referrer-Policy, a Permissions-Policy, Cache-Control), the closing of
the door after an error answered before the body was read, and the bearer token on /v1/."""

from __future__ import annotations

import hmac
from http import HTTPStatus

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykit.core.api import Policy
from policykit.interfaces.http.errors import ApiError
from policykit.interfaces.http.protocol import LINGER

API_CSP = "default-src 'none'; frame-ancestors 'none'"
"""The Content-Security-Policy of every answer but the site's: JSON is never a document to run."""
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=()")
"""No answer, the site included, may use a device or a payment: none needs one."""
_SECURITY = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
             (b"referrer-policy", b"no-referrer"), (b"permissions-policy", PERMISSIONS_POLICY.encode())]
NO_STORE = "no-store"
"""The Cache-Control of every answer but the site's files: a decision or an error is never kept."""


def _stamp(policy: Policy) -> list[tuple[bytes, bytes]]:
    """Today's revision and digest as headers: read per response, so a revision taking effect
    while the service runs shows from that day on."""
    program = policy.program(policy.today())
    return [(b"x-policy-revision", program.revision.encode()), (b"x-policy-digest", program.digest.encode())]


def raw_error(policy: Policy, status: int, code: str, message: str) -> bytes:
    """An error answered below the app (by ``policykit.interfaces.http.protocol``), as raw
    HTTP/1.1 bytes with the headers every answer carries."""
    body = orjson.dumps({"code": code, "message": message, "errors": []})
    head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode("latin-1"), b"content-type: application/json",
            f"content-length: {len(body)}".encode("latin-1"), b"connection: close"]
    head += [name + b": " + value for name, value in [*_stamp(policy), *_SECURITY,
                                                      (b"content-security-policy", API_CSP.encode()),
                                                      (b"cache-control", NO_STORE.encode())]]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def _has_body(scope: Scope) -> bool:
    """Whether the request head announces a body (a non-zero Content-Length, or chunks)."""
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip(b"0 \t")):
            return True
    return False


class PolicyHeaders:
    """Pure ASGI middleware: every response carries the policy revision and digest (a decision's
    own, when the handler set them), nosniff, no framing and a Content-Security-Policy (the
    API's unless the site set its own); and /v1/ needs the bearer token when one is configured."""

    def __init__(self, app: ASGIApp, policy: Policy, token: str | None):
        self.app = app
        self.policy = policy
        self.token = token.encode() if token else None

    def _stamped(self, message: Message, scope: Scope, body_read: bool) -> Message:
        """A response's start with the headers every answer carries."""
        headers = list(message.get("headers", []))
        names = {name.lower() for name, _ in headers}
        if b"x-policy-revision" not in names:
            headers += _stamp(self.policy)
        headers += _SECURITY
        if b"content-security-policy" not in names:
            headers.append((b"content-security-policy", API_CSP.encode()))
        if b"cache-control" not in names:
            headers.append((b"cache-control", NO_STORE.encode()))
        status = message["status"]
        if status >= 400 and not body_read and b"connection" not in names:
            # Answered before the body was read: close the door (gently, but a 408 at once).
            headers.append((b"connection", b"close"))
            scope[LINGER] = status != 408
        message["headers"] = headers
        return message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_read = not _has_body(scope)

        async def receive_watched() -> Message:
            nonlocal body_read
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                body_read = True
            return message

        async def send_stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = self._stamped(message, scope, body_read)
            await send(message)

        if self.token is not None and scope["path"].startswith("/v1/") and not self._authorized(scope):
            response = ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'").response()
            response.headers["WWW-Authenticate"] = 'Bearer realm="policykit"'
            await response(scope, receive_watched, send_stamped)
            return
        await self.app(scope, receive_watched, send_stamped)

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self.token or b"")
        return False

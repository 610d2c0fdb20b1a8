"""Reading a request body: one JSON content type, within the size limit and the time allowed,
then parsed as strict JSON (see ``policykit.core.requestjson``)."""

from __future__ import annotations

import asyncio
import re

from starlette.requests import ClientDisconnect, Request

from policykit.core.errors import shorten
from policykit.core.requestjson import JsonInputError, parse_json
from policykit.interfaces.http.config import Limits
from policykit.interfaces.http.errors import ApiError, ClientGone

_JSON_TYPE = re.compile(rb"application/json(?:[ \t]*;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|\"utf-8\"))?[ \t]*", re.I)

INLINE_BYTES = 4096
"""The largest body whose request may be answered on the event loop from the verdict cache
(a valid request is a few hundred bytes): parsing it costs microseconds."""


def _check_head(request: Request, limits: Limits) -> None:
    """Exactly one Content-Type header, ``application/json`` with at most ``charset=utf-8``, and
    no declared length over the limit; ApiError otherwise."""
    content_types = []
    declared = b""
    for name, value in request.scope["headers"]:  # the raw headers: cheaper than a Headers object
        if name == b"content-type":
            content_types.append(value)
        elif name == b"content-length":
            declared = value
    if len(content_types) > 1:
        raise ApiError(400, "invalid_header", f"send one Content-Type header (got {len(content_types)})")
    content_type = content_types[0] if content_types else b""
    if not _JSON_TYPE.fullmatch(content_type):
        shown = shorten(content_type.decode("latin-1"), 80) or "no content type"
        raise ApiError(415, "unsupported_media_type",
                       f"send the body as application/json, optionally with charset=utf-8 (got '{shown}')")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise ApiError(413, "body_too_large", f"the body is larger than {limits.max_body_bytes} bytes")


async def read_body(request: Request, limits: Limits) -> bytes:
    """The request body, within the limits; ApiError otherwise (see ``_check_head``)."""
    _check_head(request, limits)
    body = bytearray()
    # A plain timer that cancels this task when the body is late: a fraction of the cost of
    # asyncio.timeout, paid on every request.
    task = asyncio.current_task()
    assert task is not None
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        task.cancel()

    timer = asyncio.get_running_loop().call_later(limits.request_seconds, expire)
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limits.max_body_bytes:
                raise ApiError(413, "body_too_large", f"the body is larger than {limits.max_body_bytes} bytes")
    except asyncio.CancelledError:
        if not expired:
            raise  # cancelled from elsewhere (the server stopping): let it go
        task.uncancel()
        raise ApiError(408, "request_timeout", f"the body did not arrive within {limits.request_seconds:g} s") from None
    except ClientDisconnect:
        raise ClientGone() from None
    finally:
        timer.cancel()
    return bytes(body)


def parse_body(body: bytes, limits: Limits) -> object:
    """The body as JSON (see ``policykit.core.requestjson``); ApiError otherwise."""
    try:
        return parse_json(body, max_depth=limits.max_depth)
    except JsonInputError as error:
        raise ApiError(400, error.code, error.message, error.errors) from None

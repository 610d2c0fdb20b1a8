"""The query strings the routes read: each route names the parameters it reads, and anything
else (an unknown name, a name given twice) is refused by name rather than ignored."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl

from starlette.requests import Request

from policykit.core.errors import did_you_mean, shorten
from policykit.core.request import MAX_ERRORS
from policykit.interfaces.http.errors import ApiError


def _problem(name: str, request: Request, allowed: Sequence[str]) -> dict[str, str]:
    reads = (f"{did_you_mean(name, allowed)}; it reads: {', '.join(allowed)}" if allowed
             else "; a request's facts, as_of included, go in the body")
    return {"pointer": "", "message": f"query parameter '{shorten(name)}' is not read by {request.method} "
                                      f"{request.scope['path']}" + reads}


def refuse_query(request: Request, allowed: Sequence[str] = ()) -> dict[str, str]:
    """The query parameters, when each is one of ``allowed`` and given once; ApiError otherwise."""
    raw = request.scope.get("query_string", b"")
    if not raw:
        return {}
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    names = [name for name, _ in pairs]
    unknown = sorted({name for name in names if name not in allowed})
    repeated = sorted({name for name in names if name in allowed and names.count(name) > 1})
    if not unknown and not repeated and pairs:
        return dict(pairs)
    if not pairs:
        unknown = [raw.decode("latin-1")]
    problems = [_problem(name, request, allowed) for name in unknown[:MAX_ERRORS]]
    problems += [{"pointer": "", "message": f"query parameter '{name}' is given more than once"} for name in repeated]
    names_text = ", ".join(shorten(name, 40) for name in (unknown + repeated)[:5])
    raise ApiError(400, "invalid_query", f"{request.method} {request.scope['path']} "
                                         f"{'reads no query parameters' if not allowed else 'refuses this query'}"
                                         f" (got: {names_text})", problems[:MAX_ERRORS])


def alternatives_asked(request: Request) -> bool:
    """The decide routes' one query parameter: ``alternatives=true`` adds the ways to do it
    within the policy and the questions to settle it (``alternatives=false``, the default, does not)."""
    value = refuse_query(request, ("alternatives",)).get("alternatives")
    if value in (None, "false"):
        return False
    if value == "true":
        return True
    raise ApiError(400, "invalid_query", f"alternatives must be true or false (got: {shorten(value or '', 40)})",
                   [{"pointer": "", "message": "query parameter 'alternatives' takes true or false"}])

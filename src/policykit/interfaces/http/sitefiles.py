"""The built staff site at /, with a Content-Security-Policy that allows, of inline code, only
what the build wrote (each by its hash), and Cache-Control by whether a file's name is
fingerprinted."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from starlette.responses import Response
from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
"""The Cache-Control of the site's fingerprinted files (a hash in the name: a new build, a new name)."""
REVALIDATE = "no-cache"
"""The Cache-Control of the site's other files: kept, but checked with the service before each use."""
_FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}(?:\.min)?\.(?:js|css)$")
API_PREFIXES = ("/v1/", "/v1", "/health", "/openapi.json", "/schemas/")
_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SCRIPT_TYPE = re.compile(r"""\btype=["']?([^"' >]+)""")
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.I)


class SiteMount(Mount):
    """The site at /, but never for API paths: a wrong method on an API path stays a 405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIXES):
            return Match.NONE, {}
        return super().matches(scope)


def csp_hash(text: str) -> str:
    """The CSP source allowing this inline script or style by its SHA-256."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _runs_as_script(attributes: str) -> bool:
    """Whether an inline <script> with these attributes is code (not a file, nor a data block
    such as application/json)."""
    kind = _SCRIPT_TYPE.search(attributes)
    return "src=" not in attributes.lower() and not (kind and "javascript" not in kind.group(1).lower()
                                                     and kind.group(1).lower() != "module")


def site_csp(site_dir: Path) -> str:
    """A Content-Security-Policy for the built site: scripts, styles, images, fonts, the search
    worker and its index from the site itself only, and of inline code only the scripts and
    style attributes the build wrote, each allowed by its hash (read from the HTML files, so
    that a rebuild with another theme version still works once the service restarts)."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        scripts.update(csp_hash(code) for attributes, code in _INLINE_SCRIPT.findall(text)
                       if _runs_as_script(attributes))
        styles.update(csp_hash(double or single) for double, single in _STYLE_ATTRIBUTE.findall(text))
    script_src = " ".join(["'self'", *sorted(scripts)])
    style_src = " ".join(["'self'", *(["'unsafe-hashes'", *sorted(styles)] if styles else [])])
    return (f"default-src 'self'; script-src {script_src}; style-src {style_src}; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")


class SiteFiles(StaticFiles):
    """The built site, with its Content-Security-Policy. A directory asked for without its
    trailing slash is redirected by path alone (``Location: /sections/``), never to a URL built
    from the Host header."""

    def __init__(self, *, directory: Path, csp: str):
        super().__init__(directory=directory, html=True)
        self.csp = csp

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if 300 <= response.status_code < 400 and "location" in response.headers:
            # Starlette's redirect names the Host the client sent; this one only the path, and
            # with a single leading slash, so it can never point at another host.
            target = "/" + scope["path"].lstrip("/")
            response = Response(status_code=307, headers={"Location": target + "/"})
        response.headers["Content-Security-Policy"] = self.csp
        if response.status_code < 400:
            response.headers["Cache-Control"] = IMMUTABLE if _FINGERPRINTED.search(path) else REVALIDATE
        return response

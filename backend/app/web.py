"""Serving the built browser UI (`frontend/dist`) at `/`.

Files of the build are served as they are (hashed `assets/` cached for a year, the rest revalidated);
any other path is a client-side route of the single-page app and gets `index.html`. The API's own
prefixes are never matched here, so their 404s and 405s stay JSON errors.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from app.core.config import Settings
from app.core.errors import error_response

# Paths that belong to the API and its documentation, never to the UI.
RESERVED_PREFIXES = ("/api", "/v1", "/docs", "/redoc", "/openapi.json", "/metrics")
DEFAULT_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
# The pages' own policy; nosniff, frame denial and the referrer policy come with every response
# (app/core/security_headers.py).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
}


def is_reserved(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in RESERVED_PREFIXES)


class _FrontendRoute(APIRoute):
    """A route that declines the reserved prefixes, leaving them to the API's routes and errors."""

    def matches(self, scope: Scope) -> tuple[Match, MutableMapping[str, Any]]:
        if scope["type"] == "http" and is_reserved(scope["path"]):
            return Match.NONE, {}
        return super().matches(scope)


def frontend_dir(settings: Settings) -> Path:
    return (settings.frontend_dir or DEFAULT_DIST).resolve()


router = APIRouter(route_class=_FrontendRoute, include_in_schema=False)


@router.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def frontend(path: str, request: Request) -> Response:
    dist = frontend_dir(request.app.state.settings)
    index = dist / "index.html"
    if not index.is_file():
        return error_response(
            503, "frontend_not_built", "The web UI is not built; run `make frontend` (or `make run`)."
        )
    if "\x00" in path:  # no file is named so; the file system refuses to look (ValueError)
        return error_response(404, "not_found", "Not Found")
    candidate = (dist / path).resolve()
    if path and candidate.is_file() and candidate.is_relative_to(dist):
        immutable = candidate.is_relative_to(dist / "assets")
        cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
        return FileResponse(candidate, headers={"Cache-Control": cache, **SECURITY_HEADERS})
    last = path.rsplit("/", 1)[-1]
    if path.startswith("assets/") or "." in last:  # a missing file, not a page of the app
        return error_response(404, "not_found", "Not Found")
    return FileResponse(index, headers={"Cache-Control": "no-cache", **SECURITY_HEADERS})

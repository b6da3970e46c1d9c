"""The error statuses a route declares in the OpenAPI document.

Routes name their statuses with `documented_errors(...)`; the body each one carries (`{detail, code}`,
or OpenAI's on `/v1`) is attached once for all by app/api/openapi_errors.py. Statuses every route of a
kind may give are declared where that kind is made: 401 and 403 by the routers of app/api/routes.py,
400/413/422 of a request body by the document's rewrite.
"""

from __future__ import annotations

from typing import Any

DESCRIPTIONS: dict[int, str] = {
    400: "The request body is not valid JSON.",
    401: "Not signed in, or the credential is not valid (`code` says which).",
    403: "Signed in, but not allowed to do this.",
    404: "The thing named does not exist, or is not the caller's.",
    409: "It conflicts with the current state (`code` says how).",
    410: "It has expired.",
    413: "The request body is larger than the server accepts.",
    422: "The request is not valid; `code` names the problem (docs/api.md).",
    429: "Too many requests; `Retry-After` says how many seconds to wait.",
    502: "The language model failed to answer.",
    503: "The language model is busy (`Retry-After`) or not ready yet.",
}

# What every request that makes the model generate may also meet (app/engines/admission.py).
GENERATION_ERRORS = (409, 429, 502, 503)


def documented_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that may answer these error statuses."""
    return {status: {"description": DESCRIPTIONS[status]} for status in statuses}

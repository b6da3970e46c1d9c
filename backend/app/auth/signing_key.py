"""The secret that signs tokens: from the settings, or (development only) one generated and kept."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from app.core.config import Settings

log = logging.getLogger(__name__)
DEV_SECRET_FILE = "jwt-secret"


def jwt_secret(settings: Settings) -> str:
    """`PUXIAN_JWT_SECRET`, or in development a random secret stored in the data folder.

    Settings refuse a missing secret outside development, so the fallback never serves production.
    Kept in a file, not made per process: sign-ins survive a restart of `puxian serve`.
    """
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value()
    if settings.env != "development":  # unreachable through Settings validation; kept as a guard
        raise RuntimeError("PUXIAN_JWT_SECRET is required outside development")
    return _read_or_create(settings.data_dir / DEV_SECRET_FILE)


def _read_or_create(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return _read(path)
    secret = secrets.token_urlsafe(48)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secret + "\n")
    try:
        # A hard link appears whole or not at all and never replaces a file: of two processes
        # starting together, one secret wins and both use it.
        os.link(draft, path)
    except FileExistsError:
        return _read(path)
    finally:
        draft.unlink()
    log.warning("development mode: generated a token signing secret in %s (set PUXIAN_JWT_SECRET)", path)
    return secret


def _read(path: Path) -> str:
    secret = path.read_text(encoding="ascii").strip()
    if not secret:
        raise RuntimeError(f"{path} is empty; delete it to generate a new development secret")
    return secret

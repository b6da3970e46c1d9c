"""API keys for REST clients: `pk-` and 43 random characters; stored as a SHA-256, shown once.

SHA-256 rather than argon2: a key has 256 random bits, so a fast hash cannot be brute-forced, and it
is checked on every request, where argon2's deliberate slowness would cost a fifth of a second.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import errors
from app.auth.models import ApiKey
from app.db.types import utc_now

KEY_PREFIX = "pk-"
VISIBLE_CHARS = 11  # "pk-" and 8 characters: enough to tell keys apart, far too few to guess one
# Writing last_used_at on every request would make every API call a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewApiKey:
    row: ApiKey
    key: str  # the only time the whole key exists outside the client


def is_api_key(credential: str) -> bool:
    return credential.startswith(KEY_PREFIX)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(session: Session, user_id: int, name: str, client_ip: str) -> NewApiKey:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(user_id=user_id, name=name, prefix=key[:VISIBLE_CHARS], key_hash=hash_api_key(key))
    session.add(row)
    session.flush()
    record_event(session, "api_key.created", user_id, "api_key", row.id, {"name": name}, client_ip)
    session.commit()
    return NewApiKey(row, key)


def list_api_keys(session: Session, user_id: int) -> list[ApiKey]:
    statement = select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.id)
    return list(session.scalars(statement))


def revoke_api_key(session: Session, user_id: int, key_id: int, client_ip: str) -> None:
    """Revoke one of the user's keys (again is fine); 404 for keys of others, as for missing ones."""
    row = session.get(ApiKey, key_id)
    if row is None or row.user_id != user_id:
        raise errors.api_key_not_found(key_id)
    if row.revoked_at is None:
        row.revoked_at = utc_now()
        record_event(session, "api_key.revoked", user_id, "api_key", key_id, {"name": row.name}, client_ip)
    session.commit()


def find_usable_key(session: Session, key: str) -> ApiKey | None:
    """The unrevoked key with this value, with its last use recorded (at most once a minute)."""
    row = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_api_key(key))).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    now = utc_now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        session.execute(
            update(ApiKey)
            .where(ApiKey.id == row.id)
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    return row

"""Refresh-token rotation with reuse detection.

Every sign-in starts a family; each refresh token is used once, and refreshing it issues the next
of its family. A refresh token presented a second time was copied (stolen, or replayed by a proxy):
its whole family is revoked, the thief's tokens and the owner's alike, and the owner signs in
again. Only token ids are stored, never tokens.
"""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import errors
from app.auth.models import RefreshToken
from app.auth.tokens import TokenClaims, TokenCodec, TokenKind, TokenPair
from app.db.types import utc_now
from app.users.models import User


def issue_tokens(session: Session, codec: TokenCodec, user: User, family: str = "") -> TokenPair:
    """A token pair, its refresh token recorded (a new family unless one is given); commits."""
    now = utc_now()
    token_id, family = uuid.uuid4().hex, family or uuid.uuid4().hex
    session.add(
        RefreshToken(
            id=token_id,
            family=family,
            user_id=user.id,
            issued_at=now,
            expires_at=now + codec.lifetimes[TokenKind.REFRESH],
        )
    )
    session.commit()
    return codec.issue_pair(user.id, user.token_version, (token_id, family), now)


def use_refresh_token(session: Session, claims: TokenClaims, client_ip: str) -> str:
    """Mark a refresh token used and return its family; 401 if it was used before (its family is
    then revoked), revoked, or never recorded."""
    row = session.get(RefreshToken, claims.token_id, with_for_update=True)
    if row is None or row.family != claims.family or row.user_id != claims.user_id:
        raise errors.invalid_token()
    if row.revoked_at is not None:
        raise errors.refresh_token_revoked()
    now = utc_now()
    if row.used_at is not None:
        session.execute(update(RefreshToken).where(RefreshToken.family == row.family).values(revoked_at=now))
        record_event(
            session, "auth.refresh_token_reused", row.user_id, "user", row.user_id,
            {"family": row.family[:8]}, client_ip,
        )  # fmt: skip
        session.commit()
        raise errors.refresh_token_revoked()
    row.used_at = now
    session.flush()
    return row.family

"""JWT bearer tokens for the browser: short-lived access tokens and longer refresh tokens (HS256)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

from app.auth import errors
from app.core.limits import MAX_ID
from app.db.types import utc_now

ALGORITHM = "HS256"
ISSUER = "puxian-rag"
# ASCII digits only: str.isdigit() also takes "١" (Arabic-Indic one) and "²".
_USER_ID = re.compile(r"[1-9][0-9]{0,18}")
_TOKEN_ID = re.compile(r"[0-9a-f]{32}")


class TokenKind(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    # The user's token_version when the token was issued; a different one now means revoked.
    version: int
    kind: TokenKind
    expires_at: datetime
    # A refresh token's own id and its family (the chain of tokens of one sign-in); empty otherwise.
    token_id: str = ""
    family: str = ""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds until the access token expires


class TokenCodec:
    """Issues and checks tokens with one secret."""

    def __init__(self, secret: str, access_lifetime: timedelta, refresh_lifetime: timedelta) -> None:
        self._secret = secret
        self.lifetimes = {TokenKind.ACCESS: access_lifetime, TokenKind.REFRESH: refresh_lifetime}

    def issue(
        self,
        user_id: int,
        version: int,
        kind: TokenKind,
        now: datetime | None = None,
        refresh_id: tuple[str, str] = ("", ""),
    ) -> str:
        """A token; a refresh token carries its (id, family) as `jti` and `fam`."""
        issued = now or utc_now()
        claims: dict[str, object] = {
            "sub": str(user_id),
            "ver": version,
            "typ": kind.value,
            "iss": ISSUER,
            "iat": issued,
            "exp": issued + self.lifetimes[kind],
        }
        if kind is TokenKind.REFRESH:
            claims["jti"], claims["fam"] = refresh_id
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def issue_pair(self, user_id: int, version: int, refresh_id: tuple[str, str], now: datetime) -> TokenPair:
        """An access token and a refresh token with this (id, family); the caller records the id."""
        return TokenPair(
            access_token=self.issue(user_id, version, TokenKind.ACCESS, now),
            refresh_token=self.issue(user_id, version, TokenKind.REFRESH, now, refresh_id),
            expires_in=int(self.lifetimes[TokenKind.ACCESS].total_seconds()),
        )

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        """The claims of a valid token of this kind; 401 errors for anything else."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "ver", "typ", "iss"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise errors.token_expired() from exc
        except jwt.PyJWTError as exc:
            raise errors.invalid_token() from exc
        # An access token must not pass for a refresh token, nor the reverse. A validly signed token
        # can still carry odd claims (a 40-digit or Arabic-Indic "sub", "exp" as a string): only
        # the shapes this codec issues are accepted.
        user_id = claims["sub"]
        if (
            claims["typ"] != kind.value
            or not isinstance(user_id, str)
            or not _USER_ID.fullmatch(user_id)
            or int(user_id) > MAX_ID
            or type(claims["ver"]) is not int
            or type(claims["exp"]) is not int
        ):
            raise errors.invalid_token()
        token_id, family = claims.get("jti", ""), claims.get("fam", "")
        if kind is TokenKind.REFRESH and not (
            _TOKEN_ID.fullmatch(str(token_id)) and _TOKEN_ID.fullmatch(str(family))
        ):
            raise errors.invalid_token()  # issued before rotation, or forged
        expires = datetime.fromtimestamp(claims["exp"], tz=UTC)
        return TokenClaims(int(user_id), claims["ver"], kind, expires, str(token_id), str(family))

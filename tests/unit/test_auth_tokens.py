"""JWT access and refresh tokens: what is accepted and what is refused, with which error code."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from app.auth.tokens import ALGORITHM, ISSUER, TokenCodec, TokenKind
from app.core.errors import ApiError
from app.db.types import utc_now

SECRET = "a test secret long enough for HS256 and for HS512, which wants 64 bytes or more"
codec = TokenCodec(SECRET, timedelta(minutes=5), timedelta(days=1))


IDS = ("0" * 31 + "1", "f" * 32)  # a refresh token's id and family


def _code(token: str, kind: TokenKind = TokenKind.ACCESS) -> str:
    with pytest.raises(ApiError) as raised:
        codec.decode(token, kind)
    assert raised.value.status == 401
    return raised.value.code


def test_an_issued_token_decodes_to_its_claims() -> None:
    claims = codec.decode(codec.issue(42, 3, TokenKind.ACCESS), TokenKind.ACCESS)
    assert (claims.user_id, claims.version, claims.kind) == (42, 3, TokenKind.ACCESS)
    assert timedelta(minutes=4) < claims.expires_at - utc_now() <= timedelta(minutes=5)
    refresh = codec.decode(codec.issue(42, 3, TokenKind.REFRESH, refresh_id=IDS), TokenKind.REFRESH)
    assert refresh.expires_at - utc_now() > timedelta(hours=23)
    assert (refresh.token_id, refresh.family) == IDS


def test_a_pair_has_both_kinds_and_the_access_lifetime() -> None:
    pair = codec.issue_pair(7, 0, IDS, utc_now())
    assert pair.expires_in == 300
    assert codec.decode(pair.access_token, TokenKind.ACCESS).user_id == 7
    assert codec.decode(pair.refresh_token, TokenKind.REFRESH).user_id == 7


def test_a_refresh_token_without_its_id_and_family_is_refused() -> None:
    assert _code(codec.issue(1, 0, TokenKind.REFRESH), TokenKind.REFRESH) == "invalid_token"
    assert (
        _code(_signed({"typ": "refresh", "jti": "x" * 32, "fam": IDS[1]}), TokenKind.REFRESH)
        == "invalid_token"
    )


def test_expired_tokens_say_so() -> None:
    old = codec.issue(1, 0, TokenKind.ACCESS, now=utc_now() - timedelta(minutes=6))
    assert _code(old) == "token_expired"


def test_one_kind_does_not_pass_for_the_other() -> None:
    assert _code(codec.issue(1, 0, TokenKind.REFRESH, refresh_id=IDS), TokenKind.ACCESS) == "invalid_token"
    assert _code(codec.issue(1, 0, TokenKind.ACCESS), TokenKind.REFRESH) == "invalid_token"


def _signed(claims: dict[str, object], secret: str = SECRET, algorithm: str = ALGORITHM) -> str:
    now = utc_now()
    base: dict[str, object] = {
        "sub": "1",
        "ver": 0,
        "typ": "access",
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(minutes=1),
    }
    return jwt.encode({**base, **claims}, secret, algorithm=algorithm)


@pytest.mark.parametrize(
    "token",
    [
        _signed({}, secret="another secret, also long enough for HS256 and HS512: sixty-four bytes"),
        _signed({}, algorithm="HS512"),
        _signed({"iss": "someone else"}),
        _signed({"sub": "admin"}),
        _signed({"ver": "0"}),
        _signed({"typ": "root"}),
        jwt.encode({"sub": "1", "typ": "access"}, SECRET, algorithm=ALGORITHM),  # no exp, ver, iss
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",  # alg "none"
        "garbage",
        "",
    ],
)
def test_forged_or_malformed_tokens_are_invalid(token: str) -> None:
    assert _code(token) == "invalid_token"


def test_a_valid_token_with_one_character_changed_is_invalid() -> None:
    token = codec.issue(1, 0, TokenKind.ACCESS)
    head, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert _code(f"{head}.{payload}.{flipped}") == "invalid_token"

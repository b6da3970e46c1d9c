"""Putting the token codec, throttle policy and error handler of authentication on the app."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from app.auth.signing_key import jwt_secret
from app.auth.throttle import ThrottlePolicy
from app.auth.tokens import TokenCodec
from app.core.config import Settings


def install_auth(app: FastAPI, settings: Settings) -> None:
    app.state.token_codec = TokenCodec(
        jwt_secret(settings),
        access_lifetime=timedelta(minutes=settings.access_token_minutes),
        refresh_lifetime=timedelta(days=settings.refresh_token_days),
    )
    app.state.throttle_policy = ThrottlePolicy(
        settings.login_max_failures, timedelta(seconds=settings.login_lockout_seconds)
    )

"""Request and response bodies of the auth and API-key routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from app.core.request_model import RequestModel
from app.core.schema_markers import NOT_BLANK
from app.users.schemas import MAX_PASSWORD_CHARS, Password, UserPublic


class LoginRequest(RequestModel):
    model_config = ConfigDict(extra="forbid")

    # Not validated as a username: a malformed one is simply a wrong one (401, and throttled).
    username: str = Field(max_length=100)
    password: str = Field(max_length=MAX_PASSWORD_CHARS)


class RefreshRequest(RequestModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(max_length=4096)


class PasswordChange(RequestModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=MAX_PASSWORD_CHARS)
    new_password: Password


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str = Field(description="Exchange at POST /api/auth/refresh for a new pair.")
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    user: UserPublic


def _name_has_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise PydanticCustomError("name_empty", "The name is empty.")
    return value


class ApiKeyCreate(RequestModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        str, Field(max_length=100, json_schema_extra={"pattern": NOT_BLANK}), AfterValidator(_name_has_text)
    ] = Field(examples=["my script"])


class ApiKeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str = Field(description="The first characters of the key, to tell keys apart.")
    created_at: datetime
    last_used_at: datetime | None = Field(description="To the minute.")
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The whole key. It is shown only this once: store it now.")

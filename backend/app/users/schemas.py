"""Request and response bodies of the account routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.core.request_model import RequestModel
from app.users.models import Role
from app.users.usernames import InvalidUsername, normalize_username

# Longer passwords add nothing and cost hashing time; the body limit would stop them anyway.
MAX_PASSWORD_CHARS = 256


def _valid_username(raw: str) -> str:
    try:
        return normalize_username(raw)
    except InvalidUsername as exc:
        raise PydanticCustomError("username_invalid", str(exc)) from None


Username = Annotated[str, Field(max_length=100), AfterValidator(_valid_username)]
Password = Annotated[str, Field(max_length=MAX_PASSWORD_CHARS)]


class UserRegister(RequestModel):
    model_config = ConfigDict(extra="forbid")

    username: Username = Field(examples=["lin_xiaoming"])
    password: Password


class UserCreate(UserRegister):
    role: Role = Role.USER


class UserUpdate(RequestModel):
    model_config = ConfigDict(extra="forbid")

    is_active: bool | None = None
    role: Role | None = None

    @model_validator(mode="after")
    def changes_something(self) -> Self:
        if self.is_active is None and self.role is None:
            raise PydanticCustomError("update_empty", "Give 'is_active', 'role' or both.")
        return self


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: Role
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int = Field(description="How many users there are in all (not just on this page).")

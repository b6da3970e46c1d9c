"""Request and response bodies of the account routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from app.core.request_model import RequestModel
from app.core.schema_markers import min_length_from
from app.users.models import Role
from app.users.usernames import SCHEMA_PATTERN, InvalidUsername, matches_schema_pattern, normalize_username

# Longer passwords add nothing and cost hashing time; the body limit would stop them anyway.
MAX_PASSWORD_CHARS = 256


def _valid_username(raw: str) -> str:
    try:
        if not matches_schema_pattern(raw):
            raise InvalidUsername()
        return normalize_username(raw)
    except InvalidUsername as exc:
        raise PydanticCustomError("username_invalid", str(exc)) from None


Username = Annotated[
    str, Field(max_length=100, json_schema_extra={"pattern": SCHEMA_PATTERN}), AfterValidator(_valid_username)
]
Password = Annotated[
    str, Field(max_length=MAX_PASSWORD_CHARS, json_schema_extra=min_length_from("password_min_length"))
]


class UserRegister(RequestModel):
    model_config = ConfigDict(extra="forbid")

    username: Username = Field(examples=["lin_xiaoming"])
    password: Password


class UserCreate(UserRegister):
    role: Role = Role.USER


class UserUpdate(RequestModel):
    # Absent is "unchanged"; null is refused (the document says true or false, a role), and so is {}.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    is_active: bool | SkipJsonSchema[None] = None
    role: Role | SkipJsonSchema[None] = None

    @field_validator("is_active", "role", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise PydanticCustomError("update_null", "Cannot be null; leave the field out instead.")
        return value

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

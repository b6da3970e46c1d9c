"""Who is making a request, as resolved from its bearer credential."""

from __future__ import annotations

from dataclasses import dataclass

from app.users.models import Role


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: Role
    # Set when the request came with an API key rather than a browser session's token.
    api_key_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

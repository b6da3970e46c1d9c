"""Secrets: production refuses to start without a real JWT secret; development keeps a random one."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from app.auth.signing_key import DEV_SECRET_FILE, jwt_secret
from app.core.config import Settings

REAL_SECRET = "k3J9-random-looking-secret-of-48-characters-xxxx"


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)


@pytest.mark.parametrize("secret", [None, "", "changethis", "x" * 31])
def test_production_refuses_a_missing_or_weak_jwt_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="PUXIAN_JWT_SECRET must be set"):
        settings(env="production", jwt_secret=secret)


def test_production_starts_with_a_real_secret() -> None:
    assert settings(env="production", jwt_secret=REAL_SECRET).jwt_secret is not None


def test_production_refuses_a_first_admin_from_the_environment() -> None:
    with pytest.raises(ValidationError, match="puxian create-admin"):
        settings(
            env="production",
            jwt_secret=REAL_SECRET,
            first_admin_username="root",
            first_admin_password="a long password",
        )


def test_production_reads_the_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUXIAN_ENV", "production")
    with pytest.raises(ValidationError):
        settings()
    monkeypatch.setenv("PUXIAN_JWT_SECRET", REAL_SECRET)
    assert jwt_secret(settings()) == REAL_SECRET


def test_development_generates_one_secret_and_keeps_it_private(tmp_path: Path) -> None:
    dev = settings(data_dir=tmp_path / "data")
    first = jwt_secret(dev)
    assert len(first) >= 48
    assert jwt_secret(dev) == first, "a restart keeps the sessions"
    path = tmp_path / "data" / DEV_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [DEV_SECRET_FILE], "no draft file left behind"
    assert jwt_secret(settings(data_dir=tmp_path / "other")) != first, "never a fixed default"


def test_a_configured_secret_wins_in_development(tmp_path: Path) -> None:
    assert jwt_secret(settings(data_dir=tmp_path, jwt_secret=REAL_SECRET)) == REAL_SECRET
    assert not (tmp_path / DEV_SECRET_FILE).exists()


def test_an_emptied_secret_file_is_an_error_not_an_empty_secret(tmp_path: Path) -> None:
    (tmp_path / DEV_SECRET_FILE).write_text("\n")
    with pytest.raises(RuntimeError, match="delete it"):
        jwt_secret(settings(data_dir=tmp_path))

"""`puxian create-admin` on both databases, run as an operator would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.auth.passwords import verify_password
from app.db.session import Database
from app.users.service import find_user
from tests.conftest import REPO_ROOT

PUXIAN = Path(sys.executable).parent / "puxian"


def create_admin(
    database_url: str, data_dir: Path, *args: str, password: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PUXIAN_DATA_DIR": str(data_dir), "PUXIAN_DATABASE_URL": database_url}
    return subprocess.run(
        [str(PUXIAN), "create-admin", "--password-stdin", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )


def stored_admin(database_url: str, username: str) -> tuple[str, bool, str]:
    database = Database(database_url)
    try:
        with database.session() as session:
            user = find_user(session, username)
            assert user is not None
            return user.role, user.is_active, user.password_hash
    finally:
        database.dispose()


def test_create_admin_creates_refuses_a_duplicate_and_resets_on_request(
    database_url: str, tmp_path: Path
) -> None:
    created = create_admin(database_url, tmp_path, "--username", "Root", password="first long password")
    assert created.returncode == 0, created.stderr
    assert "created admin 'root'" in created.stdout
    role, active, password_hash = stored_admin(database_url, "root")
    assert (role, active) == ("admin", True)
    assert verify_password(password_hash, "first long password")

    again = create_admin(database_url, tmp_path, "--username", "root", password="second long password")
    assert again.returncode == 1
    assert "already taken" in again.stderr
    assert "--reset" in again.stderr
    assert verify_password(stored_admin(database_url, "root")[2], "first long password")

    reset = create_admin(
        database_url, tmp_path, "--username", "root", "--reset", password="second long password"
    )
    assert reset.returncode == 0, reset.stderr
    assert "reset admin 'root'" in reset.stdout
    assert verify_password(stored_admin(database_url, "root")[2], "second long password")


def test_create_admin_explains_a_bad_username_or_password(database_url: str, tmp_path: Path) -> None:
    bad_name = create_admin(database_url, tmp_path, "--username", "a b", password="a long password")
    assert bad_name.returncode == 2
    assert "3–32 letters" in bad_name.stderr
    short = create_admin(database_url, tmp_path, "--username", "root", password="short")
    assert short.returncode == 1
    assert "at least 8 characters" in short.stderr
    for result in (bad_name, short):
        assert "Traceback" not in result.stderr

"""A bad PUXIAN_* variable stops the command line with a message, not a traceback."""

from __future__ import annotations

import pytest

from app.cli import main


def test_an_invalid_setting_is_named_and_the_exit_status_is_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUXIAN_TOP_K", "three")
    assert main(["documents"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: invalid settings: top_k:")
    assert "Traceback" not in error


def test_production_without_a_jwt_secret_is_refused_with_the_way_to_make_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUXIAN_ENV", "production")
    monkeypatch.delenv("PUXIAN_JWT_SECRET", raising=False)
    assert main(["documents"]) == 2
    assert "PUXIAN_JWT_SECRET must be set" in capsys.readouterr().err

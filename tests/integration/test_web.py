"""The browser UI served at `/` (a stand-in build in a temporary folder), beside an API it must not shadow."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app

INDEX = '<!doctype html><html lang="zh-CN"><body><div id="root"></div><script src="/assets/app-1a2b.js"></script></body></html>'


def app_client(tmp_path: Path, dist: Path) -> TestClient:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", frontend_dir=dist)  # type: ignore[call-arg]
    # Not entered: no lifespan, so no models are loaded; the UI and the routing need none.
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX, encoding="utf-8")
    (dist / "assets" / "app-1a2b.js").write_text("console.log('app')", encoding="utf-8")
    (dist / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the browser", encoding="utf-8")
    return app_client(tmp_path, dist)


def test_the_app_is_served_at_the_root_and_at_its_client_routes(client: TestClient) -> None:
    for path in ("/", "/login", "/admin/documents", "/c/0b6f7e0e-5a0b-4c1e-9d3c-1f2e3d4c5b6a"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert "default-src 'self'" in response.headers["content-security-policy"]


def test_built_files_are_served_with_long_caching_for_hashed_assets(client: TestClient) -> None:
    script = client.get("/assets/app-1a2b.js")
    assert (script.status_code, script.text) == (200, "console.log('app')")
    assert "javascript" in script.headers["content-type"]
    assert "immutable" in script.headers["cache-control"]
    icon = client.get("/favicon.svg")
    assert (icon.status_code, icon.headers["cache-control"]) == (200, "no-cache")


def test_missing_files_are_404_not_the_app(client: TestClient) -> None:
    for path in ("/assets/old-9z9z.js", "/robots.txt"):
        response = client.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path


def test_nothing_outside_the_build_can_be_read(client: TestClient) -> None:
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
        response = client.get(path)
        assert "not for the browser" not in response.text, path


def test_the_api_and_its_documentation_are_not_shadowed(client: TestClient) -> None:
    unknown = client.get("/api/no-such-route")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    wrong_method = client.get("/api/chat")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
    for path in ("/v1/models", "/metrics", "/redoc", "/docs/oauth2-redirect"):
        response = client.get(path)
        assert response.text != INDEX, path
        assert response.headers.get("cache-control") != "no-cache", path
    assert "swagger" in client.get("/docs").text.lower()
    schema = client.get("/openapi.json")
    assert schema.headers["content-type"] == "application/json"
    assert schema.text != INDEX


def test_non_get_requests_to_app_routes_are_refused(client: TestClient) -> None:
    response = client.post("/admin/documents", json={})
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")


def test_an_unbuilt_ui_says_how_to_build_it(tmp_path: Path) -> None:
    response = app_client(tmp_path, tmp_path / "missing-dist").get("/")
    assert (response.status_code, response.json()["code"]) == (503, "frontend_not_built")
    assert "make frontend" in response.json()["detail"]

"""Request bodies take JSON's types as the OpenAPI document states them, and nothing pydantic's lax
mode would turn into them; path and query integers are written in digits."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.core.limits import Offset, RowId
from app.core.request_model import RequestModel
from app.users.schemas import UserUpdate


class Options(RequestModel):
    count: int | None = None
    ratio: float | None = None
    flag: bool | None = None
    names: str | list[str] | None = None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"count": True}, "int_type"),
        ({"count": "3"}, "int_type"),
        ({"ratio": False}, "float_type"),
        ({"ratio": "0.5"}, "float_type"),
        ({"flag": 0}, "bool_type"),
        ({"flag": "true"}, "bool_type"),
    ],
)
def test_other_json_types_are_refused_with_the_field_named(body: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Options.model_validate(body)
    error = raised.value.errors()[0]
    assert error["type"] == code
    assert error["msg"].startswith(f"{next(iter(body))}:")


def test_json_numbers_and_nulls_are_taken_as_json_schema_reads_them() -> None:
    taken = Options.model_validate({"count": 3.0, "ratio": 2, "flag": False, "names": "x"})
    assert (taken.count, taken.ratio, taken.flag, taken.names) == (3, 2.0, False, "x")
    assert Options.model_validate({"count": None}).count is None


def test_a_user_update_changes_something_and_null_is_not_a_change() -> None:
    assert UserUpdate.model_validate({"is_active": False}).is_active is False
    for body, code in (
        ({}, "update_empty"),
        ({"is_active": None}, "update_null"),
        ({"role": None}, "update_null"),
    ):
        with pytest.raises(ValidationError) as raised:
            UserUpdate.model_validate(body)
        assert raised.value.errors()[0]["type"] == code


def test_path_and_query_integers_are_digits() -> None:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def item(item_id: RowId, offset: Offset = 0) -> list[int]:
        return [item_id, offset]

    client = TestClient(app)
    assert client.get("/items/7?offset=3").json() == [7, 3]
    for url in ("/items/7.0", "/items/1e3", "/items/7?offset=5.0", "/items/7?offset=%2B5"):
        assert client.get(url).status_code == 422, url

"""Conversations, messages and feedback through the HTTP API on both databases: the chat route
stores each exchange, a user sees and changes only their own data, and no writer loses a message.

Questions the knowledge base cannot answer get the fixed no-answer reply without the model (the
no-answer gate), so they cost milliseconds; the few real questions are answered in at most 8 tokens.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from app.conversations.models import Feedback, Message
from tests.integration.accounts import Account, Api, bearer

OFF_TOPIC = "如何用Python写快速排序？"


def _chat(api: Api, account: Account, question: str = OFF_TOPIC, **fields: object) -> dict[str, Any]:
    return api.ask(account.headers, question, **fields)


def _conversation(api: Api, account: Account, conversation_id: object) -> dict[str, Any]:
    response = api.client.get(f"/api/conversations/{conversation_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_chat_stores_the_question_and_the_answer_with_its_sources(api: Api) -> None:
    alice = api.account("alice")
    answer = _chat(api, alice, "如何用莆仙话说“吃饭”？")
    conversation = _conversation(api, alice, answer["conversation_id"])
    assert conversation["title"] == "如何用莆仙话说“吃饭”？"
    question, stored = conversation["messages"]
    assert (question["role"], question["content"]) == ("user", "如何用莆仙话说“吃饭”？")
    assert (stored["id"], stored["role"], stored["content"]) == (
        answer["message_id"],
        "assistant",
        answer["answer"],
    )
    assert stored["sources"] == answer["sources"]
    assert stored["sources"], "a real question is answered from passages"
    assert stored["timings"] == answer["timings"]
    assert stored["usage"] == answer["usage"]
    assert (stored["engine"], stored["finish_reason"]) == ("transformers", answer["finish_reason"])
    assert stored["feedback"] is None
    assert question["id"] < stored["id"]


def test_chat_adds_to_the_conversation_it_names(api: Api) -> None:
    alice = api.account("alice")
    first = _chat(api, alice, OFF_TOPIC + "（一）")
    second = _chat(api, alice, OFF_TOPIC + "（二）", conversation_id=first["conversation_id"])
    assert second["conversation_id"] == first["conversation_id"]
    messages = _conversation(api, alice, first["conversation_id"])["messages"]
    assert [m["content"] for m in messages if m["role"] == "user"] == [
        OFF_TOPIC + "（一）",
        OFF_TOPIC + "（二）",
    ]
    unknown = api.client.post(
        "/api/chat", json={"question": OFF_TOPIC, "conversation_id": str(uuid.uuid4())}, headers=alice.headers
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "conversation_not_found")
    malformed = api.client.post(
        "/api/chat", json={"question": OFF_TOPIC, "conversation_id": "42"}, headers=alice.headers
    )
    assert (malformed.status_code, malformed.json()["code"]) == (422, "uuid_parsing")


def test_conversations_are_listed_newest_activity_first_a_page_at_a_time(api: Api) -> None:
    alice = api.account("alice")
    ids = [_chat(api, alice, f"{OFF_TOPIC}（{n}）")["conversation_id"] for n in range(3)]
    _chat(api, alice, OFF_TOPIC, conversation_id=ids[0])  # the oldest becomes the most recent
    first = api.client.get("/api/conversations?limit=2", headers=alice.headers).json()
    rest = api.client.get("/api/conversations?limit=2&offset=2", headers=alice.headers).json()
    assert first["count"] == rest["count"] == 3
    assert [c["id"] for c in first["data"] + rest["data"]] == [ids[0], ids[2], ids[1]]
    assert [c["message_count"] for c in first["data"] + rest["data"]] == [4, 2, 2]
    negative = api.client.get("/api/conversations?offset=-1", headers=alice.headers)
    assert (negative.status_code, negative.json()["code"]) == (422, "greater_than_equal")


def test_an_empty_conversation_can_be_created_renamed_and_deleted(api: Api) -> None:
    alice = api.account("alice")
    created = api.client.post("/api/conversations", json={}, headers=alice.headers)
    assert created.status_code == 201
    assert (created.json()["title"], created.json()["message_count"]) == ("新对话", 0)
    path = f"/api/conversations/{created.json()['id']}"
    renamed = api.client.patch(path, json={"title": "  莆仙话的\n声调 "}, headers=alice.headers)
    assert (renamed.status_code, renamed.json()["title"]) == (200, "莆仙话的 声调")
    for title, code in (("   ", "title_empty"), ("长" * 201, "string_too_long")):
        bad = api.client.patch(path, json={"title": title}, headers=alice.headers)
        assert (bad.status_code, bad.json()["code"]) == (422, code)
    assert api.client.delete(path, headers=alice.headers).status_code == 204
    gone = api.client.get(path, headers=alice.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "conversation_not_found")
    assert api.client.delete(path, headers=alice.headers).status_code == 404


def test_deleting_a_conversation_deletes_its_messages_and_feedback(api: Api) -> None:
    alice = api.account("alice")
    answer = _chat(api, alice)
    api.client.put(
        f"/api/messages/{answer['message_id']}/feedback", json={"rating": "up"}, headers=alice.headers
    )
    assert (
        api.client.delete(
            f"/api/conversations/{answer['conversation_id']}", headers=alice.headers
        ).status_code
        == 204
    )
    with api.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_feedback_is_given_replaced_shown_and_withdrawn(api: Api) -> None:
    alice = api.account("alice")
    answer = _chat(api, alice)
    path = f"/api/messages/{answer['message_id']}/feedback"
    up = api.client.put(path, json={"rating": "up"}, headers=alice.headers)
    assert (up.status_code, up.json()["rating"], up.json()["comment"]) == (200, "up", "")
    down = api.client.put(path, json={"rating": "down", "comment": "没有回答问题"}, headers=alice.headers)
    assert (down.json()["rating"], down.json()["comment"]) == ("down", "没有回答问题")
    assert down.json()["created_at"] == up.json()["created_at"]
    stored = _conversation(api, alice, answer["conversation_id"])["messages"][1]["feedback"]
    assert (stored["rating"], stored["comment"]) == ("down", "没有回答问题")
    with api.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Feedback)) == 1
    assert api.client.delete(path, headers=alice.headers).status_code == 204
    again = api.client.delete(path, headers=alice.headers)
    assert (again.status_code, again.json()["code"]) == (404, "feedback_not_found")
    assert _conversation(api, alice, answer["conversation_id"])["messages"][1]["feedback"] is None


def test_bad_feedback_gets_a_clear_error(api: Api) -> None:
    alice = api.account("alice")
    answer = _chat(api, alice)
    question_id = int(answer["message_id"]) - 1
    on_question = api.client.put(
        f"/api/messages/{question_id}/feedback", json={"rating": "up"}, headers=alice.headers
    )
    assert (on_question.status_code, on_question.json()["code"]) == (409, "not_an_answer")
    path = f"/api/messages/{answer['message_id']}/feedback"
    for body, code in (
        ({"rating": "meh"}, "enum"),
        ({}, "missing_field"),
        ({"rating": "up", "comment": "长" * 2001}, "string_too_long"),
    ):
        response = api.client.put(path, json=body, headers=alice.headers)
        assert (response.status_code, response.json()["code"]) == (422, code)
    missing = api.client.put("/api/messages/999999/feedback", json={"rating": "up"}, headers=alice.headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "message_not_found")


def test_a_user_never_reads_or_changes_another_users_conversations(api: Api) -> None:
    alice, bob = api.account("alice"), api.account("bob")
    answer = _chat(api, alice)
    api.client.put(
        f"/api/messages/{answer['message_id']}/feedback", json={"rating": "up"}, headers=alice.headers
    )
    before = _conversation(api, alice, answer["conversation_id"])
    conversation = f"/api/conversations/{answer['conversation_id']}"
    feedback = f"/api/messages/{answer['message_id']}/feedback"
    attempts = [
        ("GET", conversation, None, "conversation_not_found"),
        ("PATCH", conversation, {"title": "bob was here"}, "conversation_not_found"),
        ("DELETE", conversation, None, "conversation_not_found"),
        ("PUT", feedback, {"rating": "down", "comment": "bob"}, "message_not_found"),
        ("DELETE", feedback, None, "message_not_found"),
        (
            "POST",
            "/api/chat",
            {"question": OFF_TOPIC, "conversation_id": answer["conversation_id"]},
            "conversation_not_found",
        ),
    ]
    for headers in (bob.headers, bearer(api.api_key(bob))):
        for method, path, body, code in attempts:
            response = api.client.request(method, path, json=body, headers=headers)
            assert (response.status_code, response.json()["code"]) == (404, code), f"{method} {path}"
        listed = api.client.get("/api/conversations", headers=headers).json()
        assert listed == {"data": [], "count": 0}
    assert _conversation(api, alice, answer["conversation_id"]) == before, "alice's data is unchanged"


def test_50_parallel_chats_into_one_conversation_lose_no_message(api: Api) -> None:
    alice = api.account("alice")
    key = bearer(api.api_key(alice))  # also exercises the key's last-used update under contention
    conversation_id = api.client.post("/api/conversations", json={"title": "并发"}, headers=key).json()["id"]
    # Mostly questions refused without the model: the model answers one request at a time, which
    # would space the database writes seconds apart; these reach the database all at once. Two
    # real questions make sure exchanges with sources interleave with them.
    questions = [f"{OFF_TOPIC}（第{n}次）" for n in range(48)] + [
        "如何用莆仙话说“吃饭”？",
        "莆仙话“今天”怎么说？",
    ]

    def ask(question: str) -> dict[str, Any]:
        return api.ask(key, question, conversation_id=conversation_id)

    with ThreadPoolExecutor(max_workers=len(questions)) as pool:
        answers = list(pool.map(ask, questions))

    assert {a["conversation_id"] for a in answers} == {conversation_id}
    messages = _conversation(api, alice, conversation_id)["messages"]
    assert len(messages) == 2 * len(questions)
    assert sorted(m["content"] for m in messages if m["role"] == "user") == sorted(questions)
    position = {m["id"]: index for index, m in enumerate(messages)}
    for question, answer in zip(questions, answers, strict=True):
        stored_answer = messages[position[answer["message_id"]]]
        asked = messages[position[answer["message_id"]] - 1]
        assert (asked["role"], asked["content"]) == ("user", question), "each answer follows its question"
        assert (stored_answer["content"], stored_answer["sources"]) == (answer["answer"], answer["sources"])
    listed = api.client.get("/api/conversations", headers=key).json()["data"]
    assert [(c["id"], c["message_count"]) for c in listed] == [(conversation_id, 100)]

"""Romanization in the running app: the romanize API and command, romanized retrieval and answers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.bootstrap import Services
from app.core.config import Settings
from app.knowledge.evaluation import default_question_files, evaluate, load_questions
from tests.integration.accounts import Api
from tests.integration.test_chat_stream import stored_messages, stream_events
from tests.integration.test_cli import run_puxian


def test_romanize_converts_every_word_and_keeps_the_rest(client: TestClient) -> None:
    response = client.post("/api/romanize", json={"text": "今旦 ging1 dua4，好食。", "to": ["buc", "ipa"]})
    assert response.status_code == 200, response.text
    body = response.json()
    # The lexicon records 今旦 as ging-dua̍ⁿ: its reading decides the nasal vowel PSP cannot show.
    assert body["text"] == {"buc": "今旦 ging-dua̍ⁿ，好食。", "ipa": "今旦 [kiŋ533 tua42]，好食。"}
    assert body["connected"]["psp"] == "今旦 ging1 nua4，好食。"
    word = body["words"][0]
    assert word["hanzi"] == "今旦"
    assert word["connected_basis"] == "word"  # the lexicon records the spoken form
    second = word["syllables"][1]
    assert second["buc_candidates"] == ["dua̍", "dua̍ⁿ"]
    assert second["buc_basis"] in ("word", "char")
    assert (second["initial"], second["final"], second["tone"], second["tone_name"]) == ("d", "ua", 4, "阴去")


def test_romanize_reads_buc_and_gives_the_connected_form_on_request(client: TestClient) -> None:
    body = client.post("/api/romanize", json={"text": "ho̤ng-sṳ́", "from": "buc", "surface": True}).json()
    assert body["source"] == "buc"
    assert body["text"]["psp"] == "horng1 ny2"
    assert body["citation"]["psp"] == "horng1 sy2"


def test_romanize_refuses_an_invalid_syllable_naming_it(client: TestClient) -> None:
    response = client.post("/api/romanize", json={"text": "gua3 xq7", "from": "psp"})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["syllable"], body["system"]) == ("invalid_syllable", "xq7", "psp")
    assert "'xq7' is not a valid PSP" in body["detail"]
    assert client.post("/api/romanize", json={"text": ""}).status_code == 422
    assert client.post("/api/romanize", json={"text": "x", "to": ["pinyin"]}).status_code == 422
    signed_out = client.post(
        "/api/romanize", json={"text": "ging1"}, headers={"Authorization": "Bearer nope"}
    )
    assert signed_out.status_code == 401


def test_romanized_queries_find_their_word_and_the_other_questions_lose_nothing(
    settings: Settings, services: Services
) -> None:
    questions = load_questions(*default_question_files(settings.knowledge_dir))
    romanized = [q for q in questions if q.category == "romanized"]
    others = [q for q in questions if q.category != "romanized"]
    assert len(romanized) >= 230
    on_romanized = evaluate(services.knowledge.retriever, romanized, settings.min_relevance, modes=["hybrid"])
    hybrid = on_romanized.modes[0]
    assert hybrid.recall_at_1 >= 0.90, hybrid.misses
    assert hybrid.recall_at_5 >= 0.98, hybrid.misses
    assert on_romanized.gate.wrongly_refused == 0  # a romanized word is an answerable question
    on_others = evaluate(services.knowledge.retriever, others, settings.min_relevance, modes=["hybrid"])
    assert on_others.modes[0].recall_at_5 >= 0.99, on_others.modes[0].misses


def test_a_romanized_question_is_answered_with_how_it_was_read(services: Services) -> None:
    answer = services.rag.answer("taumng 是什么意思")
    assert answer.reading is not None
    assert answer.reading.words[0].simplified == "头毛"
    assert answer.reading.syllables == ("tau", "mng")
    assert answer.reading.tones == "not given"
    assert answer.answer.startswith("输入“taumng”读作 tao mung（切分为 tau·mng；未写声调，按词条补全；")
    assert "“头毛”tao2 mung2（头发）" in answer.answer
    entry = next(s for s in answer.sources if s.id == "lexicon-body-health#body-003")
    assert entry.pronunciations["buc"]["citation"] == {"text": "táu-mńg", "basis": "source", "attested": True}
    assert entry.pronunciations["ipa"]["citation"]["attested"] is False


def test_the_stream_says_how_the_input_was_read_before_the_answer(api: Api) -> None:
    user = api.account("romanizer")
    events = stream_events(api, user.headers, question="ging1 nua4")
    sources = events[0].data
    assert sources["reading"]["words"][0]["simplified"] == "今旦"
    deltas = [event.data["text"] for event in events if event.name == "delta"]
    assert deltas[0].startswith("输入“ging1 nua4”读作 ging1 nua4")
    _, stored = stored_messages(api.database, events[-1].data["conversation_id"])
    assert stored.content == "".join(deltas)


def test_the_romanize_command(settings: Settings, services: Services) -> None:
    result = run_puxian(settings, "romanize", "番薯 horng1 sy2", "--to", "buc,ipa", "--surface")
    assert result.returncode == 0, result.stderr
    assert "BUC  番薯 ho̤ng-sṳ́" in result.stdout
    assert "番薯 ho̤ng-nṳ́   (连读 connected speech)" in result.stdout
    failed = run_puxian(settings, "romanize", "xq7", "--from", "psp")
    assert failed.returncode == 1
    assert "error: 'xq7' is not a valid PSP" in failed.stderr
    assert "Traceback" not in failed.stderr

"""SSE encoding, the streamed text kept equal to the stored answer, and engine load progress."""

from __future__ import annotations

import json

import pytest

from app.chat.sse import sse_comment, sse_event
from app.chat.stream_text import StreamedAnswer
from app.core.engine_specs import EngineSpec
from app.engines.slot import LOADING_MODEL, PREPARING, WARMING_UP, EngineSlot
from inference_engine import EngineState, InferenceConfig
from tests.sse import parse_events


def test_an_event_is_one_json_data_line_even_with_newlines_in_the_text() -> None:
    encoded = sse_event("delta", {"text": "第一行\n第二行"})
    assert encoded == 'event: delta\ndata: {"text":"第一行\\n第二行"}\n\n'
    assert encoded.count("\n") == 3
    events = list(parse_events((encoded + sse_comment("waiting") + sse_event("done", {})).splitlines()))
    assert [(e.name, e.data) for e in events] == [("delta", {"text": "第一行\n第二行"}), ("done", {})]


def test_comments_are_heartbeats_clients_skip() -> None:
    assert sse_comment("waiting for the model") == ": waiting for the model\n\n"


def test_streamed_deltas_add_up_to_the_stored_answer_with_a_citation_added_at_the_end() -> None:
    streamed = StreamedAnswer()
    sent = [streamed.feed(piece) for piece in ["  根据资料，", "今天说", "“今旦”", "。", "\n"]]
    assert sent == ["根据资料，", "今天说", "“今旦”", "", ""]  # the closing "。" is held back
    assert streamed.text == "根据资料，今天说“今旦”。"
    final = "根据资料，今天说“今旦”[1]。"
    assert "".join(sent) + streamed.finish(final) == final


def test_a_final_answer_that_does_not_continue_the_sent_text_is_refused() -> None:
    streamed = StreamedAnswer()
    streamed.feed("甲乙")
    with pytest.raises(ValueError, match="does not continue"):
        streamed.finish("乙甲")


def test_load_progress_follows_the_stages_and_the_previous_load_time() -> None:
    spec = EngineSpec(name="t", kind="transformers")
    slot = EngineSlot(spec, lambda: InferenceConfig(model_path="/models/qwen", device="cpu"))
    assert slot.progress() is None
    status = slot.status()
    assert (status.state, status.model, status.device) == ("unloaded", "qwen", "cpu")
    slot.begin_loading()
    assert slot.progress() == 0.05
    assert slot.stage == PREPARING
    slot.stage = LOADING_MODEL
    slot.last_load_seconds = 1000.0  # the elapsed part is then tiny
    assert 0.1 <= (slot.progress() or 0) < 0.11
    slot.stage = WARMING_UP
    assert slot.progress() == 0.9
    slot.state, slot.stage = EngineState.READY, None
    assert slot.progress() == 1.0
    assert json.dumps(vars(slot.status()))  # the API serializes it


def test_a_remote_engine_runs_remote_and_a_broken_config_has_no_model() -> None:
    remote = EngineSlot(EngineSpec(name="r", kind="openai"), lambda: InferenceConfig(model_path="m"))
    assert remote.planned_device() == "remote"

    def broken() -> InferenceConfig:
        raise FileNotFoundError("model not prepared")

    slot = EngineSlot(EngineSpec(name="b", kind="transformers"), broken)
    assert slot.model_name() is None
    assert slot.planned_device() == "auto"

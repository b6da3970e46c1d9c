from inference_engine.stop_text import StopTextFilter, cut_at_stop


def test_cut_at_stop_returns_text_before_the_earliest_stop() -> None:
    assert cut_at_stop("答案是食饭。\n问题：下一个", ["问题：", "\n"]) == ("答案是食饭。", True)
    assert cut_at_stop("no stop here", ["###"]) == ("no stop here", False)
    assert cut_at_stop("anything", []) == ("anything", False)


def test_a_stop_string_split_across_deltas_is_never_emitted() -> None:
    text_filter = StopTextFilter(["<END>"])
    emitted = "".join(text_filter.feed(delta) for delta in ["食", "饭<", "EN", "D>后面"])
    emitted += text_filter.flush()
    assert emitted == "食饭"
    assert text_filter.stopped


def test_held_back_text_is_released_when_no_stop_follows() -> None:
    text_filter = StopTextFilter(["<END>"])
    parts = [text_filter.feed(delta) for delta in ["今旦", "<E", "x"]]
    assert "".join(parts) + text_filter.flush() == "今旦<Ex"
    assert not text_filter.stopped

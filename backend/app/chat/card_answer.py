"""The sentence that states a word card as the answer, in the language the question was asked.

Built from the cards, not generated: it is what the answer states (the model may continue it with
an explanation). Each word carries the number of its passage, so the statement is cited like any
answer. 筷子用莆仙话怎么说 → “筷子”莆仙话说“箸”（dy5）[1]。
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.chat.cards import WordCard
from app.chat.intent import WordQuestion


def card_statement(
    question: WordQuestion | None, cards: Sequence[WordCard], numbers: Mapping[str, int]
) -> str:
    """The statement of the cards' answer; empty when a reading line already names the word."""
    if not cards or question is None or cards[0].match == "reading":
        return ""
    if question.point and all(card.point and card.point != question.point for card in cards):
        return ""  # 仙游话的“饭”: the lexicon's Putian reading would be the wrong answer
    cite = {
        card.entry_id: f" [{numbers[card.entry_id]}]" if card.entry_id in numbers else "" for card in cards
    }
    if question.language == "en":
        return _english(question, cards, cite)
    clauses = [_chinese(question.kind, term, group, cite) for term, group in _by_term(question, cards)]
    return "；".join(clauses) + _correction(question, cards) + "。"


def _correction(question: WordQuestion, cards: Sequence[WordCard]) -> str:
    """What a question took for granted and the cards contradict, said unquoted (it is the question's
    word, not a Puxian word the answer presents): 莆仙话“寒”的意思是“冷”，不是热的意思."""
    claimed = question.claimed
    if not claimed:
        return ""
    if question.kind == "meaning":
        held = any(claimed in gloss or gloss in claimed for card in cards for gloss in card.glosses if gloss)
        return "" if held else f"，不是{claimed}的意思"
    held = any(claimed in (card.simplified, card.headword) for card in cards)
    return "" if held else f"，不叫{claimed}"


def _chinese(kind: str, term: str, cards: Sequence[WordCard], cite: Mapping[str, str]) -> str:
    """The clause of one asked word (a list question has one per word)."""
    first, *others = cards
    if kind == "pronounce":
        return f"“{first.simplified}”读{_readings(first, '；')}{cite[first.entry_id]}"
    if kind == "meaning":
        if not others:
            word = f"莆仙话“{first.simplified}”（{first.reading()}）"
            return f"{word}的意思是{_glosses(first)}{cite[first.entry_id]}"
        senses = "；".join(f"读 {c.reading()}，意思是{_glosses(c)}{cite[c.entry_id]}" for c in cards)
        return f"莆仙话“{first.simplified}”有{len(cards)}种读法或意思：{senses}"
    also = "".join(f"，也说“{c.simplified}”（{c.reading()}）{cite[c.entry_id]}" for c in others)
    return f"“{term}”莆仙话说“{first.simplified}”（{first.reading()}）{cite[first.entry_id]}{also}"


def _by_term(question: WordQuestion, cards: Sequence[WordCard]) -> list[tuple[str, list[WordCard]]]:
    """The cards of each word the question lists, in its order (a word without cards is left out)."""
    groups = [(term, [card for card in cards if card.term in ("", term)]) for term in question.terms]
    return [(term, group) for term, group in groups if group]


def _english(question: WordQuestion, cards: Sequence[WordCard], cite: Mapping[str, str]) -> str:
    def named(card: WordCard) -> str:
        return f"{card.simplified} ({card.reading()}, Mandarin “{card.glosses[0] if card.glosses else ''}”)"

    first = cards[0]
    if question.kind == "pronounce":
        word = f"“{question.term}” is {first.simplified} in Puxian, " if first.match == "translation" else ""
        read = f"{word}{first.simplified} is read" if not word else f"{word}read"
        return f"{read}{_readings(first, '; ', english=True)}{cite[first.entry_id]}."
    if question.kind == "meaning":
        meaning = (
            ", ".join(f"“{e}”" for e in first.english[:2]) or f"“{first.glosses[0] if first.glosses else ''}”"
        )
        return f"{named(first)} means {meaning}{cite[first.entry_id]}."
    clauses = []
    for term, group in _by_term(question, cards):
        also = "".join(f"; also {named(c)}{cite[c.entry_id]}" for c in group[1:])
        clauses.append(f"“{term}” is {named(group[0])}{cite[group[0].entry_id]}{also}")
    return "In Puxian, " + ". ".join(clauses) + "."


def _glosses(card: WordCard) -> str:
    return "".join(f"“{g}”" for g in card.glosses[:3]) or "（词表未给释义）"


def _readings(card: WordCard, separator: str, english: bool = False) -> str:
    """PSP (and its connected form when it differs), BUC and IPA."""
    labels = ("PSP", "BUC", "IPA") if english else ("莆仙话拼音", "平话字", "国际音标")
    connected_label = "connected speech" if english else "连读"
    parts = []
    for label, system in zip(labels, ("psp", "buc", "ipa"), strict=True):
        citation, connected = card.reading(system), card.reading(system, "connected")
        if not citation:
            continue
        text = f"{label} {citation}"
        if connected and connected != citation:
            text += (
                f"（{connected_label} {connected}）" if not english else f" ({connected_label} {connected})"
            )
        parts.append(text)
    return " " + separator.join(parts)

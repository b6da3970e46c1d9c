"""How the default model answers follow-ups with history_mode "questions" and "turns" (docs/streaming.md).

Three two-turn conversations on the real model and index, asked as the chat API asks them (the
follow-up made standalone for retrieval, earlier turns in the prompt within the token budget).
A follow-up is right when its answer holds the Puxian word asked for. Not a test: the counts are a
measurement of one model, recorded in docs/streaming.md. Run from the repository root:

    .venv/bin/python -m tests.integration.measure_followups [--data-dir data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.bootstrap import build_services
from app.chat.history import Turn
from app.core.config import Settings
from app.core.logging import configure_logging

# (first question, follow-up, what a right answer holds (the word or its reading), the first answer's
# word). "睏" is quoted: “睏醒” (to wake up) holds it too and is wrong.
CONVERSATIONS = [
    ("莆仙话“今天”怎么说？", "那‘吃饭’呢？", ("食饭",), "今旦"),
    ("莆仙话“下雨”怎么说？", "那‘睡觉’呢？", ("“睏”", "kong4"), "落雨"),
    ("莆仙话“筷子”怎么说？", "那‘房子’呢？", ("厝", "cou4"), "箸"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=Path("data"), help="index and database (built if missing)"
    )
    args = parser.parse_args()
    configure_logging("WARNING", "development")
    settings = Settings(data_dir=args.data_dir)
    services = build_services(settings)
    try:
        for mode in ("questions", "turns"):
            rag = services.rag
            rag.history_with_answers = mode == "turns"
            right = 0
            print(f"history_mode={mode}")
            for first, follow_up, expected, earlier_word in CONVERSATIONS:
                answer = rag.answer(first)
                second = rag.answer(follow_up, history=[Turn(first, answer.answer)])
                ok = any(form in second.answer for form in expected)
                right += ok
                copied = " (repeats the earlier answer's word)" if earlier_word in second.answer else ""
                print(f"  {'RIGHT' if ok else 'WRONG'} {follow_up} -> {second.answer!r}{copied}")
            print(f"  {right} of {len(CONVERSATIONS)} follow-ups right")
    finally:
        services.close()


if __name__ == "__main__":
    main()

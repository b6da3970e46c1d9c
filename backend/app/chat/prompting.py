"""Building the answer prompt from a Jinja2 template (`app/prompts/*.j2`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from app.chat.history import Turn, history_messages
from inference_engine import ChatMessage

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
NO_ANSWER = "知识库中没有找到相关内容。"


@dataclass(frozen=True)
class Passage:
    number: int
    heading: str
    text: str


@dataclass(frozen=True)
class BuiltPrompt:
    messages: list[ChatMessage]
    response_prefix: str


class PromptBuilder:
    """Renders the template's `system`, `user` and `answer_prefix` blocks into chat messages."""

    def __init__(self, template_name: str = "answer.j2", prompts_dir: Path = PROMPTS_DIR) -> None:
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(prompts_dir),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            autoescape=False,  # plain text for a model, not HTML
        )
        self._template = environment.get_template(template_name)
        missing = {"system", "user", "answer_prefix"} - set(self._template.blocks)
        if missing:
            raise ValueError(
                f"prompt template {template_name} lacks the block(s) {', '.join(sorted(missing))}"
            )

    def build(
        self,
        question: str,
        passages: list[Passage],
        history: Sequence[Turn] = (),
        with_answers: bool = False,
    ) -> BuiltPrompt:
        """The system rules, then this turn's passages and question; earlier turns before them.

        Earlier turns are listed as questions in the user message (`earlier_questions`), or, with
        `with_answers`, given as chat turns (without their passages). With no history the messages
        are exactly those the template variants were measured with.
        """
        context: dict[str, object] = {
            "question": question,
            "passages": passages,
            "no_answer": NO_ANSWER,
            "earlier_questions": [] if with_answers else [turn.question for turn in history],
        }
        system, user, prefix = (self._render(block, context) for block in ("system", "user", "answer_prefix"))
        return BuiltPrompt(
            messages=[
                {"role": "system", "content": system.strip()},
                *(history_messages(history) if with_answers else []),
                {"role": "user", "content": user.strip()},
            ],
            response_prefix=prefix,
        )

    def _render(self, block: str, context: dict[str, object]) -> str:
        return "".join(self._template.blocks[block](self._template.new_context(context)))

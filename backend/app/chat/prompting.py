"""Building the answer prompt from a Jinja2 template (`app/prompts/*.j2`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from app.chat.history import Turn, history_messages
from inference_engine import ChatMessage, SamplingOverrides

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
NO_ANSWER = "知识库中没有找到相关内容。"
NO_ANSWER_EN = "The knowledge base has nothing on this."
# After a word card's statement the model only adds a short explanation: more only invites errors.
EXPLANATION_MAX_TOKENS = 64


def no_answer_text(english: bool) -> str:
    return NO_ANSWER_EN if english else NO_ANSWER


@dataclass(frozen=True)
class Passage:
    number: int
    heading: str
    text: str


@dataclass(frozen=True)
class BuiltPrompt:
    messages: list[ChatMessage]
    response_prefix: str
    max_tokens: int | None = None  # None: the engine's setting

    @property
    def overrides(self) -> SamplingOverrides:
        """The engine's per-request values for this prompt."""
        overrides: SamplingOverrides = {"response_prefix": self.response_prefix}
        if self.max_tokens is not None:
            overrides["max_tokens"] = self.max_tokens
        return overrides


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
        *,
        english: bool = False,
        opening: str = "",
        strict: bool = False,
    ) -> BuiltPrompt:
        """The system rules, then this turn's passages and question; earlier turns before them.

        Earlier turns are listed as questions in the user message (`earlier_questions`), or, with
        `with_answers`, given as chat turns (without their passages). With no history the messages
        are exactly those the template variants were measured with. `english`: answer in English;
        `opening`: the answer's first sentence (a word card's statement, or the best passage's
        sentence quoted), which the model continues briefly; `strict`: the second try after an
        answer failed its grounding check.
        """
        context: dict[str, object] = {
            "question": question,
            "passages": passages,
            "no_answer": no_answer_text(english),
            "earlier_questions": [] if with_answers else [turn.question for turn in history],
            "english": english,
            "opening": opening,
            "strict": strict,
        }
        system, user, prefix = (self._render(block, context) for block in ("system", "user", "answer_prefix"))
        return BuiltPrompt(
            messages=[
                {"role": "system", "content": system.strip()},
                *(history_messages(history) if with_answers else []),
                {"role": "user", "content": user.strip()},
            ],
            response_prefix=prefix,
            max_tokens=EXPLANATION_MAX_TOKENS if opening else None,
        )

    def _render(self, block: str, context: dict[str, object]) -> str:
        return "".join(self._template.blocks[block](self._template.new_context(context)))

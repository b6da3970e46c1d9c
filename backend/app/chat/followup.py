"""Follow-up questions such as “那‘吃饭’呢？”: made standalone from the conversation, for retrieval.

An elliptic follow-up names a new subject and leaves the question itself to the previous turn.
Retrieval needs the whole question, so the previous question is asked again with the new subject
in place of the old one (“莆仙话‘今天’怎么说？” + “那‘吃饭’呢？” → “莆仙话‘吃饭’怎么说？”). A
follow-up whose old subject cannot be found is joined to the previous question instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_QUOTED = re.compile(r"[‘“「『\"']([^’”」』\"']{1,20})[’”」』\"']")
_LEAD = re.compile(r"^(?:那么|那|还有|另外|and|what about|how about)\s*", re.IGNORECASE)
_TAIL = re.compile(r"(?:呢|怎么样|又如何)?[\s？?。.!！~～]*$")
_ENDS_ELLIPTIC = re.compile(r"(?:呢|怎么样|又如何)[\s？?。.!！~～]*$")
# A question with words of its own asks something new: it is used as it is.
_OWN_QUESTION = re.compile(
    r"怎么|怎样|什么|如何|哪|几|多少|吗|是否|是不是|\b(?:how(?!\s+about)|what is|which|why)\b", re.IGNORECASE
)
_MAX_FOLLOW_UP_CHARS = 20

FindTerms = Callable[[str], list[str]]


def is_elliptic(question: str) -> bool:
    """A short question that names only a subject: “那‘吃饭’呢？”, “‘今天’呢”, “what about 'rain'?”."""
    text = question.strip()
    if len(text) > _MAX_FOLLOW_UP_CHARS or _OWN_QUESTION.search(_QUOTED.sub("", text)):
        return False
    return bool(_ENDS_ELLIPTIC.search(text) or _LEAD.match(text))


def subject_of(question: str) -> str:
    """The subject a follow-up names: its quoted term, else what is left without 那…呢."""
    quoted = _QUOTED.search(question)
    if quoted:
        return quoted.group(1).strip()
    return _TAIL.sub("", _LEAD.sub("", question.strip())).strip()


def standalone_question(
    question: str, previous_questions: Sequence[str], find_terms: FindTerms | None = None
) -> str:
    """`question` made standalone from the earlier questions (oldest first) of its conversation.

    Earlier follow-ups are resolved in turn, so that a chain (“‘今天’怎么说？”, “那‘吃饭’呢？”,
    “‘睡觉’呢？”) keeps the first question's form. `find_terms` finds the subject of a question
    without quotes (the retriever's headword lookup).
    """
    context: str | None = None
    for earlier in previous_questions:
        context = _resolve(earlier, context, find_terms)
    return _resolve(question, context, find_terms)


def _resolve(question: str, context: str | None, find_terms: FindTerms | None) -> str:
    if context is None or not is_elliptic(question):
        return question
    subject = subject_of(question)
    if not subject:
        return question
    quoted = _QUOTED.search(context)
    if quoted:
        return context[: quoted.start(1)] + subject + context[quoted.end(1) :]
    for term in find_terms(context) if find_terms else []:
        if term in context:
            return context.replace(term, subject, 1)
    return f"{context} {question}"

"""`POST /api/romanize`: convert PSP, BUC and IPA into each other (signed in)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ServicesDep
from app.core.errors import ApiError
from app.romanize.schemas import RomanizeRequest, RomanizeResponse, romanize_response
from romanization.convert import convert
from romanization.errors import RomanizationError

router = APIRouter(prefix="/api", tags=["romanization"])


@router.post("/romanize", operation_id="romanization-convert", response_model=RomanizeResponse)
def romanize(body: RomanizeRequest, services: ServicesDep) -> RomanizeResponse:
    """Every romanized word of `text` in PSP, BUC and IPA, citation and connected-speech forms.

    Han characters and punctuation stay in place. The readings the knowledge base's lexicons
    and dictionaries record choose among BUC candidates (a nasal vowel PSP cannot show). A word
    that is not valid in its system is refused with 422 `invalid_syllable`, naming the syllable.
    """
    source = None if body.source == "auto" else body.source
    try:
        conversion = convert(body.text, source, point=body.point, readings=services.knowledge.base.readings)
    except RomanizationError as exc:
        raise ApiError(422, "invalid_syllable", str(exc), syllable=exc.syllable, system=exc.system) from exc
    return romanize_response(conversion, body.to, body.surface)

"""The romanization package's errors: one class, naming the offending syllable and the system."""

from __future__ import annotations


class RomanizationError(ValueError):
    """Text that is not a valid syllable (or word) of the chosen romanization system."""

    def __init__(self, syllable: str, system: str, reason: str) -> None:
        self.syllable, self.system, self.reason = syllable, system, reason
        super().__init__(f"{syllable!r} is not a valid {SYSTEM_NAMES.get(system, system)} syllable: {reason}")


SYSTEM_NAMES = {"psp": "PSP (莆仙话拼音)", "buc": "BUC (兴化平话字)", "ipa": "IPA"}

"""Reading identity factors out of what a member typed, with a specific re-ask when it fails."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import List, Optional

from bot.conversation import messages
from bot.nlu.dates import DATE_PATTERN, looks_like_date
from bot.nlu.entities import extract_first
from bot.nlu.normalize import normalize_text
from bot.privacy.masking import mask_birthdate, mask_email, mask_phone


@dataclass(frozen=True)
class Factor:
    """A parsed factor: the normalized value for the backend, its mask for the chat, or a problem."""

    value: Optional[str] = None
    masked: Optional[str] = None
    problem: Optional[str] = None

    @property
    def ok(self) -> bool:
        """True when a value was read."""
        return self.value is not None


# Intents that mean the member answered the question with "no" rather than with the value.
_DECLINING = {"deny"}


def reask(factor: Factor, intent: Optional[str]) -> List[str]:
    """Replies for a factor that was not read: the format hint, and after a no (いいえ,
    わかりません) how to stop or reach a person, since the form would otherwise just ask again."""
    replies = [factor.problem] if factor.problem else []
    if intent in _DECLINING:
        replies.append(messages.HOW_TO_STOP)
    return replies


def read_email(text: Optional[str]) -> Factor:
    """An e-mail address from the member's text (full-width and upper case allowed)."""
    value = extract_first(text, "email")
    if value is None:
        return Factor(problem=messages.EMAIL_FORMAT)
    return Factor(value, mask_email(value))


def read_birthdate(text: Optional[str], today: date) -> Factor:
    """A birth date (西暦 or 和暦) that exists and is not in the future."""
    value = extract_first(text, "birthdate")
    if value is None:
        normalized = normalize_text(text or "")
        match = DATE_PATTERN.search(normalized)
        if match is not None and looks_like_date(match):
            return Factor(problem=messages.BIRTHDATE_IMPOSSIBLE)
        return Factor(problem=messages.BIRTHDATE_FORMAT)
    if date.fromisoformat(value) > today:
        return Factor(problem=messages.BIRTHDATE_FUTURE)
    return Factor(value, mask_birthdate(value))


def read_phone(text: Optional[str]) -> Factor:
    """A Japanese phone number (10 or 11 digits starting with 0)."""
    value = extract_first(text, "phone_number")
    if value is None:
        return Factor(problem=messages.PHONE_FORMAT)
    return Factor(value, mask_phone(value))

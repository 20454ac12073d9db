"""Validation of text that reaches the database (ids, names, free text)."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Optional, Union

# Control characters never belong in stored text; NUL cannot even be stored in PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_EMAIL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")
_PHONE = re.compile(r"0[0-9]{9,10}")


class InvalidInput(ValueError):
    """A value was refused before anything was written."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def identifier(value: object, field: str, max_length: int = 255) -> str:
    """A single-line identifier (conversation id, agent id, idempotency key)."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    text = value.strip()
    if not text:
        raise InvalidInput(field, "is empty")
    if len(text) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters")
    if _CONTROL_OR_NEWLINE.search(text) or _SURROGATE.search(text):
        raise InvalidInput(field, "contains control characters")
    return text


def short_text(value: object, field: str, max_length: int, required: bool = True) -> Optional[str]:
    """A single-line human text (name, reason): refused when too long or with control characters."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        if required:
            raise InvalidInput(field, "is empty")
        return None
    if len(text) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters")
    if _CONTROL_OR_NEWLINE.search(text) or _SURROGATE.search(text):
        raise InvalidInput(field, "contains control characters")
    return text


def long_text(value: object, field: str, max_length: int) -> str:
    """Multi-line free text (transcripts): control characters dropped, the newest part kept."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", value.replace("\r\n", "\n")))
    if len(text) > max_length:
        # The end of a transcript is what the agent needs; mark the cut.
        text = "…" + text[-(max_length - 1):]
    return text


def email(value: object, field: str = "email") -> str:
    """A lower-case ASCII e-mail address."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    text = value.strip().lower()
    if len(text) > 254 or not text.isascii() or not _EMAIL.fullmatch(text):
        raise InvalidInput(field, "is not an e-mail address")
    return text


def birthdate(value: Union[str, date], field: str = "birthdate") -> date:
    """A birth date given as ``date`` or ISO ``YYYY-MM-DD``."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise InvalidInput(field, "is not an ISO date")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, "is not a valid date") from None


def phone(value: object, field: str = "phone_number") -> str:
    """A Japanese phone number as ASCII digits starting with 0."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    text = value.strip()
    if not _PHONE.fullmatch(text):
        raise InvalidInput(field, "is not a phone number (ASCII digits starting with 0)")
    return text

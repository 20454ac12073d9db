"""Masks for personal values shown in chat, logs and the agent console (standard library only).

    mask_number("1234567890")   -> "12******90"
    mask_email("taro@example.jp") -> "t***@example.jp"
    mask_phone("09012345678")   -> "***-****-5678"
    mask_birthdate("2015-04-01") -> "****-**-**"

``mask_text`` is a coarse, dependency-free mask for free text (e-mail addresses, long digit
runs, dates); ``bot.privacy.redact`` is the thorough, entity-based one.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Match

__all__ = ["mask_number", "mask_email", "mask_phone", "mask_birthdate", "mask_text"]

_DIGIT_CHARS = "0-9０-９"


def _digits_only(value: str) -> str:
    # NFKC turns full-width digits into ASCII, so "０９０…" is masked like "090…".
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if "0" <= ch <= "9")


def mask_number(value: str) -> str:
    """Member number with only its first two and last two digits visible."""
    text = str(value).strip()
    if len(text) < 6:
        return "*" * max(len(text), 4)
    return text[:2] + "*" * (len(text) - 4) + text[-2:]


def mask_email(value: str) -> str:
    """E-mail with only the first character of the local part visible."""
    text = str(value).strip()
    local, at, domain = text.rpartition("@")
    if not at or not domain:
        return "***"
    return (local[:1] if local else "") + "***@" + domain


def mask_phone(value: str) -> str:
    """Phone number with only its last four digits visible, grouped like 090-1234-5678."""
    digits = _digits_only(str(value))
    if len(digits) <= 4:
        return "****"
    if len(digits) <= 8:
        return "*" * (len(digits) - 4) + "-" + digits[-4:]
    return "*" * (len(digits) - 8) + "-****-" + digits[-4:]


def mask_birthdate(value: object = None) -> str:
    """A birth date is never shown, not even partly."""
    return "****-**-**"


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_ERA_DATE = re.compile(r"(?:明治|大正|昭和|平成|令和)\s*(?:[0-9０-９]{1,2}|元)\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日")
_KANJI_DATE = re.compile(r"[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日")
_NUMERIC_DATE = re.compile(r"(?<![0-9０-９])[0-9０-９]{4}[/／.．\-－][0-9０-９]{1,2}[/／.．\-－][0-9０-９]{1,2}(?![0-9０-９])")
# Six or more digits, possibly split by hyphens or spaces: a member number or phone number.
_DIGIT_RUN = re.compile(rf"[{_DIGIT_CHARS}](?:[ \u3000\-‐－−ー―]?[{_DIGIT_CHARS}]){{5,}}")


def _star_digits(match: Match[str]) -> str:
    return re.sub(rf"[{_DIGIT_CHARS}]", "*", match.group(0))


def mask_text(text: str) -> str:
    """Mask e-mail addresses, dates and long digit runs inside free text."""
    masked = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    masked = _ERA_DATE.sub(mask_birthdate(), masked)
    masked = _KANJI_DATE.sub(mask_birthdate(), masked)
    masked = _NUMERIC_DATE.sub(mask_birthdate(), masked)
    return _DIGIT_RUN.sub(_star_digits, masked)

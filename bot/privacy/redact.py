"""Redaction of personal data in free text and in nested event data (tracker store, tickets, logs).

Entity-based first (the same extractor the NLU uses, so every notation it understands is masked),
then the coarse regex masks of ``bot.privacy.masking`` for whatever is left (short date forms,
digit runs of unexpected lengths). Passwords typed after a password keyword are blanked.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, Optional, Tuple

from bot.nlu.dates import DATE_PATTERN, looks_like_date
from bot.nlu.entities import extract_entities
from bot.nlu.normalize import normalize
from bot.privacy.masking import mask_birthdate, mask_email, mask_number, mask_phone, mask_text

__all__ = ["redact", "redact_mapping", "mask_value", "find_password", "PERSONAL_ENTITIES"]

_MASKS: Dict[str, Callable[[str], str]] = {
    "member_number": mask_number,
    "email": mask_email,
    "birthdate": mask_birthdate,
    "phone_number": mask_phone,
}
PERSONAL_ENTITIES = frozenset(_MASKS)

# A password keyword, an optional particle or colon, then the secret itself (no spaces).
_PASSWORD = re.compile(
    r"(?:パスワード|ぱすわーど|ﾊﾟｽﾜｰﾄﾞ|パスワ|暗証番号|あんしょうばんごう|password|passwd|pass|pw|ＰＷ|ＰＡＳＳ)"
    r"(?![A-Za-zＡ-Ｚａ-ｚ])\s*(?:は|が|を|[:：=＝]|って|→)?\s*[「『\"']?"
    r"(?P<secret>[!-~０-９Ａ-Ｚａ-ｚ！-～]{4,64})",
    re.IGNORECASE,
)
_QUICK = re.compile(r"[0-9０-９@＠〇一二三四五六七八九]|明治|大正|昭和|平成|令和|パス|pass|pw|暗証", re.IGNORECASE)


def _is_secret(match: "re.Match[str]") -> bool:
    # パスワードを忘れた / password reset have no secret: a typed one has a digit or a symbol,
    # or mixes upper and lower case.
    secret = match.group("secret")
    mixed_case = secret.upper() != secret and secret.lower() != secret
    return mixed_case or any(ch.isdigit() or not ch.isalnum() for ch in secret)


def find_password(text: Optional[str]) -> Optional["re.Match[str]"]:
    """The first thing in ``text`` that looks like a password given after a password keyword."""
    return next((m for m in _PASSWORD.finditer(text or "") if _is_secret(m)), None)


def _blank_passwords(text: str) -> str:
    def blank(match: "re.Match[str]") -> str:
        if not _is_secret(match):
            return match.group(0)
        keep = match.start("secret") - match.start()
        return match.group(0)[:keep] + "●●●●"

    return _PASSWORD.sub(blank, text)


def _replace_spans(text: str, replacements: Iterable[Tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, new) span replaced, in text order; overlaps are skipped."""
    pieces, cursor = [], 0
    for start, end, new in replacements:
        if start < cursor:
            continue
        pieces += [text[cursor:start], new]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _mask_date_notations(text: str) -> str:
    # A date that is no real day (しょうわ64ねん1がつ8にち, 2010年2月30日) gives no entity but is
    # usually a typo of the real birthday; so is any date past the extractor's first 2,000
    # characters. Every notation the extractor knows is masked here, read on the normalized text.
    norm = normalize(text)
    return _replace_spans(text, ((*norm.span(*m.span()), mask_birthdate())
                                 for m in DATE_PATTERN.finditer(norm.text) if looks_like_date(m)))


def mask_value(entity: str, value: str) -> str:
    """The display mask for one normalized entity value."""
    return _MASKS.get(entity, lambda v: mask_text(v))(value)


def redact(text: Optional[str]) -> str:
    """``text`` with e-mails, dates, member and phone numbers and typed passwords masked."""
    if not text:
        return text or ""
    if not _QUICK.search(text):
        return text
    masked = _replace_spans(text, ((e.start, e.end, mask_value(e.entity, e.value))
                                   for e in extract_entities(text)))
    masked = _blank_passwords(_mask_date_notations(masked))
    # The entity extractor reads the first 2,000 characters; mask_text covers the rest.
    return mask_text(masked)


def redact_mapping(value: Any) -> Any:
    """A deep copy of JSON-like data with every string redacted and entity values masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_mapping(item) for item in value]
    if isinstance(value, tuple):
        return tuple(redact_mapping(item) for item in value)
    if isinstance(value, dict):
        entity = value.get("entity")
        result = {}
        for key, item in value.items():
            if key == "value" and entity in PERSONAL_ENTITIES and isinstance(item, str):
                result[key] = mask_value(entity, item)
            else:
                result[key] = redact_mapping(item)
        return result
    return value

"""Server secret and keyed digests (HMAC-SHA256) of identity factors and tokens."""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
import unicodedata
from datetime import date
from typing import Union

logger = logging.getLogger(__name__)

DEV_SECRET = "support-desk-bot development secret: set BOT_SECRET_KEY in production"

_warned = False
_warn_lock = threading.Lock()


def secret_key() -> bytes:
    """The server secret from env BOT_SECRET_KEY (a development secret with a warning if unset)."""
    global _warned
    value = os.environ.get("BOT_SECRET_KEY")
    if value:
        return value.encode("utf-8")
    with _warn_lock:
        if not _warned:
            logger.warning("BOT_SECRET_KEY is not set: using the development secret. Set it in production.")
            _warned = True
    return DEV_SECRET.encode("utf-8")


def keyed_digest(kind: str, value: str) -> str:
    """Hex HMAC-SHA256 of ``value`` under the server secret, separated by ``kind``."""
    # The kind prefix keeps e.g. a phone digest from ever equalling a token digest.
    message = f"{kind}\x00{value}".encode("utf-8", "surrogatepass")
    return hmac.new(secret_key(), message, hashlib.sha256).hexdigest()


def normalize_email(value: str) -> str:
    """E-mail as compared: NFKC, trimmed, lower-case."""
    return unicodedata.normalize("NFKC", value).strip().lower()


def normalize_birthdate(value: Union[str, date]) -> str:
    """Birth date as compared: ISO ``YYYY-MM-DD``."""
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", value).strip()


def normalize_phone(value: str) -> str:
    """Phone number as compared: digits only (hyphens and spaces dropped)."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if ch not in "-‐−ー() \t")


def email_digest(value: str) -> str:
    """Keyed digest of an e-mail address (also the lookup key for members)."""
    return keyed_digest("email", normalize_email(value))


def birthdate_digest(value: Union[str, date]) -> str:
    """Keyed digest of a birth date."""
    return keyed_digest("birthdate", normalize_birthdate(value))


def phone_digest(value: str) -> str:
    """Keyed digest of a phone number."""
    return keyed_digest("phone_number", normalize_phone(value))


def token_digest(token: str) -> str:
    """Keyed digest of a random token (password reset, registration link)."""
    return keyed_digest("token", token)


def digests_equal(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two hex digests (None never matches)."""
    if a is None or b is None:
        # Still spend the comparison so a missing value is not measurably faster.
        hmac.compare_digest("0" * 64, "1" * 64)
        return False
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))

"""What every action needs from a tracker: the service, the conversation id, the member's text."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from bot.backend import inputs
from bot.backend.profiles import UnknownServiceError, default_service, get_profile

JST = timezone(timedelta(hours=9))
TRANSCRIPT_LINES = 40


def valid_service(candidate: Any) -> Optional[str]:
    """``candidate`` if it names a configured service profile."""
    if not isinstance(candidate, str) or not candidate:
        return None
    try:
        return get_profile(candidate).id
    except (UnknownServiceError, ValueError):
        return None


def metadata_service(tracker: Tracker) -> Optional[str]:
    """The service named by the channel in the latest message or at session start."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    found = valid_service(metadata.get("service")) if isinstance(metadata, dict) else None
    if found:
        return found
    started = tracker.get_slot("session_started_metadata") or {}
    return valid_service(started.get("service")) if isinstance(started, dict) else None


def service_of(tracker: Tracker) -> str:
    """The conversation's service: channel metadata, else the slot, else the configured default."""
    return metadata_service(tracker) or valid_service(tracker.get_slot("service")) or default_service()


def conversation_id(tracker: Tracker) -> str:
    """The sender id when the backend accepts it as an identifier, else a stable digest of it."""
    sender = tracker.sender_id or "anonymous"
    try:
        return inputs.identifier(sender, "conversation_id", max_length=200)
    except inputs.InvalidInput:
        return "sha256:" + hashlib.sha256(sender.encode("utf-8", "surrogatepass")).hexdigest()


def latest_text(tracker: Tracker) -> str:
    """The text of the member's latest message."""
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    """The name of the latest message's intent."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def today_jst() -> "datetime.date":
    """Today's date in Japan."""
    return datetime.now(JST).date()


def transcript(tracker: Tracker) -> List[str]:
    """The last lines of the conversation as 「お客さま: …」 / 「アシスタント: …」 (masked later)."""
    lines: List[str] = []
    for event in tracker.events:
        kind = event.get("event")
        text = event.get("text")
        if kind == "user" and text:
            lines.append(f"お客さま: {text}")
        elif kind == "bot" and text:
            lines.append(f"アシスタント: {text}")
        elif kind == "session_started":
            lines.clear()
    return lines[-TRANSCRIPT_LINES:]


def intent_ranking(tracker: Tracker) -> List[Dict[str, Any]]:
    """The latest message's intent ranking (best first)."""
    return list((tracker.latest_message or {}).get("intent_ranking") or [])

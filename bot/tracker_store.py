"""SQL tracker store that masks personal data before any event reaches the database."""
from __future__ import annotations

import json
import logging
import os
from typing import Any, Dict, Iterable, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

from bot.paths import var_dir
from bot.privacy.redact import redact, redact_mapping

logger = logging.getLogger(__name__)

# Slots that may carry personal data; their stored values are always masked.
PERSONAL_SLOTS = frozenset({"email", "birthdate", "phone_number", "member_number"})


def tracker_database_url() -> str:
    """URL of the conversation database: BOT_TRACKER_DB_URL, else an SQLite file in var/."""
    return os.environ.get("BOT_TRACKER_DB_URL") or f"sqlite:///{var_dir() / 'tracker.sqlite3'}"


def redact_event(data: Dict[str, Any]) -> Dict[str, Any]:
    """Return a copy of a serialized Rasa event with personal data masked."""
    data = dict(data)
    kind = data.get("event")
    if kind in ("user", "bot"):
        text = data.get("text")
        if isinstance(text, str):
            data["text"] = redact(text)
        parse_data = data.get("parse_data")
        if isinstance(parse_data, dict):
            # parse_data repeats the message text: mask it once, not twice.
            rest = redact_mapping({k: v for k, v in parse_data.items() if k != "text"})
            if "text" in parse_data:
                rest["text"] = data["text"] if parse_data["text"] == text else redact(parse_data["text"])
            data["parse_data"] = rest
        if "data" in data:
            data["data"] = redact_mapping(data["data"])
    elif kind == "slot" and data.get("value") is not None:
        value = data["value"]
        personal_text = data.get("name") in PERSONAL_SLOTS and isinstance(value, str)
        data["value"] = _mask_slot(value) if personal_text else redact_mapping(value)
    elif kind == "entities":
        data["entities"] = redact_mapping(data.get("entities"))
    return data


def _mask_slot(value: str) -> str:
    # A personal slot keeps only its masked form; unrecognized text is masked whole.
    masked = redact(value)
    return masked if masked != value or "*" in value else "****"


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` configured by one URL that never stores personal data in clear text."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        url: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        host: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        # Rasa passes the endpoint's `url:` as `host`; a full SQLAlchemy URL there is accepted too.
        if url is None and host and "://" in host:
            url = host
        parsed = make_url(url or tracker_database_url())
        super().__init__(
            domain=domain,
            dialect=parsed.drivername,
            host=parsed.host,
            port=parsed.port,
            db=parsed.database,
            username=parsed.username,
            password=parsed.password,
            event_broker=event_broker,
            query=dict(parsed.query) or None,
            **kwargs,
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events with personal data masked."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact_event(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data, ensure_ascii=False),
                    )
                )
            session.commit()


def stored_events(store: SQLTrackerStore, sender_id: str) -> Iterable[Dict[str, Any]]:
    """Yield the events of a conversation exactly as they are stored (for audits and tests)."""
    with store.session_scope() as session:
        rows = store._event_query(session, sender_id, fetch_events_from_all_sessions=True).all()
        for row in rows:
            yield json.loads(row.data)


__all__ = ["RedactingSQLTrackerStore", "redact_event", "stored_events", "tracker_database_url"]

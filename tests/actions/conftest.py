"""Fixtures for action tests: a migrated, seeded SQLite file per test and a tracker builder."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.backend.db import make_engine, session_scope
from bot.backend.migrate import upgrade
from bot.backend.seed import seed

DOMAIN: Dict[str, Any] = {
    "forms": {
        "forgot_number_form": {"required_slots": ["email", "birthdate"]},
        "reissue_number_form": {"required_slots": ["email", "birthdate", "phone_number", "reissue_confirmed"]},
        "password_reset_form": {"required_slots": ["email"]},
        "resend_mail_form": {"required_slots": ["email"]},
    },
    "slots": {name: {"type": "any"} for name in
              ("service", "email", "birthdate", "phone_number", "reissue_confirmed", "verification_status",
               "requested_slot")},
}


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A real SQLite member database with the demo members, used by the actions through env."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    monkeypatch.setenv("BOT_SECRET_KEY", "action-tests-secret")
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        seed(session)
    yield engine
    engine.dispose()


def tracker(text: str = "", intent: str = "inform", *, slots: Optional[Dict[str, Any]] = None,
            service: str = "learning", sender: str = "conv-1", active_loop: Optional[str] = None,
            events: Optional[List[Dict[str, Any]]] = None, ranking: Optional[List[Dict[str, Any]]] = None,
            entities: Optional[List[Dict[str, Any]]] = None) -> Tracker:
    """A tracker whose latest message is ``text`` with ``intent``, on the page of ``service``."""
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots or {})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": entities or [],
        "metadata": {"service": service},
        "message_id": "m-" + str(len(events or [])),
    }
    history = list(events or []) + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(sender, all_slots, latest, history, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action: Any, track: Tracker) -> tuple:
    """Run an action; returns (texts sent, buttons sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, DOMAIN))
    texts = [m.get("text") for m in dispatcher.messages if m.get("text")]
    buttons = [b for m in dispatcher.messages for b in (m.get("buttons") or [])]
    return texts, buttons, events


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The slot values an action set (last one wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def form_turn(text: str, extracted: Dict[str, Any], *, form: str, requested: str, intent: str = "inform",
              slots: Optional[Dict[str, Any]] = None, service: str = "learning", sender: str = "conv-1") -> Tracker:
    """A tracker as the form validation action sees it: the member's text, then the extracted slots."""
    base = tracker(text, intent, slots={**(slots or {}), "requested_slot": requested, **extracted},
                   service=service, sender=sender, active_loop=form)
    base.events.extend({"event": "slot", "name": k, "value": v} for k, v in extracted.items())
    return base

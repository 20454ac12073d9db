"""The conversation store keeps no personal data in clear text."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import RedactingSQLTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [inform]
entities: [email, birthdate]
slots:
  email:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
"""
)

RAW = ("inoue.takuya@mail.example", "2005年4月18日", "100245873196", "090-7777-8888", "abc12345")


def _stored_text(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return "\n".join(row[0] for row in connection.execute("SELECT data FROM events"))


def _save_conversation(store: RedactingSQLTrackerStore) -> None:
    tracker = DialogueStateTracker("member-1", DOMAIN.slots)
    text = "メールは inoue.takuya@mail.example、生年月日は2005年4月18日、番号100245873196、電話090-7777-8888、パスワードは abc12345"
    entity = {"entity": "email", "value": "inoue.takuya@mail.example", "start": 5, "end": 30}
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}, [entity],
                               parse_data={"text": text, "entities": [entity]}))
    tracker.update(SlotSet("email", "inoue.takuya@mail.example"))
    tracker.update(BotUttered("inoue.takuya@mail.example 宛にお送りしました"))
    asyncio.run(store.save(tracker))


def test_saved_events_hold_no_personal_value(tmp_path: Path) -> None:
    path = tmp_path / "tracker.sqlite3"
    store = RedactingSQLTrackerStore(DOMAIN, url=f"sqlite:///{path}")
    _save_conversation(store)
    stored = _stored_text(path)
    for value in RAW:
        assert value not in stored


def test_saved_events_keep_the_masked_forms(tmp_path: Path) -> None:
    path = tmp_path / "tracker.sqlite3"
    store = RedactingSQLTrackerStore(DOMAIN, url=f"sqlite:///{path}")
    _save_conversation(store)
    stored = _stored_text(path)
    assert "i***@mail.example" in stored
    assert "10********96" in stored


def test_a_restarted_store_still_has_the_conversation(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    _save_conversation(RedactingSQLTrackerStore(DOMAIN, url=url))
    reloaded = asyncio.run(RedactingSQLTrackerStore(DOMAIN, url=url).retrieve("member-1"))
    assert reloaded is not None
    assert reloaded.latest_message.intent["name"] == "inform"


def test_rasa_can_build_the_store_from_endpoints_yml(tmp_path: Path, monkeypatch) -> None:
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("BOT_TRACKER_DB_URL", f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    config = read_endpoint_config("endpoints.yml", "tracker_store")
    store = TrackerStore.create(config, DOMAIN)
    assert isinstance(store, RedactingSQLTrackerStore)

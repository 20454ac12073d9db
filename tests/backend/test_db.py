"""Engine and sessions: default URL, SQLite settings, waiting writers."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from bot.backend import db
from bot.backend.db import database_url, make_engine, session_scope
from bot.backend.models import AuditEvent, NumberHistory

from .conftest import START


def test_default_url_is_sqlite_file_in_repo_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("BOT_VAR_DIR", raising=False)
    repo = Path(db.__file__).resolve().parents[2]
    assert database_url() == f"sqlite:///{repo / 'var' / 'bot.sqlite3'}"
    assert (repo / "var").is_dir()


def test_url_comes_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATABASE_URL", "postgresql+psycopg2://bot@db.example/bot")
    assert database_url() == "postgresql+psycopg2://bot@db.example/bot"


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    engine.dispose()


def test_foreign_keys_are_enforced(engine) -> None:
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(NumberHistory(member_id=999, service_id="learning", number="3104567821", issued_at=START))


def test_session_scope_rolls_back_when_the_block_raises(engine) -> None:
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(AuditEvent(created_at=START, actor_type="system", action="test.rolled_back"))
            session.flush()
            raise RuntimeError("boom")
    with session_scope(engine) as session:
        assert session.execute(select(AuditEvent)).first() is None


def test_concurrent_sqlite_writer_waits_instead_of_failing(tmp_path: Path) -> None:
    from bot.backend.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    first_has_lock = threading.Event()
    errors: list = []

    def slow_writer() -> None:
        try:
            with session_scope(engine) as session:
                session.add(AuditEvent(created_at=START, actor_type="system", action="test.first"))
                session.flush()
                first_has_lock.set()
                time.sleep(0.5)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert first_has_lock.wait(5)
    started = time.monotonic()
    with session_scope(engine) as session:
        session.add(AuditEvent(created_at=START, actor_type="system", action="test.second"))
    waited = time.monotonic() - started
    thread.join()
    with session_scope(engine) as session:
        actions = session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    engine.dispose()
    assert errors == []
    assert actions == ["test.first", "test.second"]
    assert waited > 0.3

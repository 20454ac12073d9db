"""Fixtures: every database test runs on a fresh SQLite file and, when
BOT_TEST_POSTGRES_URL is set (scripts/test-postgres.sh start), on PostgreSQL too."""
from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # allow a plain `pytest` run without installing
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot.backend.clock import ManualClock  # noqa: E402
from bot.backend.db import make_engine, session_scope  # noqa: E402
from bot.backend.members import create_member  # noqa: E402
from bot.backend.migrate import upgrade  # noqa: E402
from bot.backend.models import Base  # noqa: E402

POSTGRES_ENV = "BOT_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = (
    f"{POSTGRES_ENV} is not set: PostgreSQL variant skipped "
    "(start one with `scripts/test-postgres.sh start` and export its URL)"
)
TEST_SECRET = "test-secret-for-backend-tests"
# 2024-04-01 19:00 in Japan.
START = datetime(2024, 4, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_SECRET_KEY", TEST_SECRET)


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()
    _postgres_state["migrated"] = False


def _empty_postgres_tables(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            names = ", ".join(table.name for table in Base.metadata.sorted_tables)
            connection.exec_driver_sql(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()


# Migrating PostgreSQL for every test is slow; after one migration, emptying the tables is enough.
_postgres_state = {"migrated": False}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh SQLite file, or the test PostgreSQL (skipped when not configured)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(POSTGRES_SKIP_REASON)
    return url


@pytest.fixture
def empty_db_url(backend_url: str) -> str:
    """URL of an empty database (nothing migrated)."""
    if backend_url.startswith("postgresql"):
        _reset_postgres(backend_url)
    return backend_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; tests get copies."""
    path = tmp_path_factory.mktemp("template") / "bot.sqlite3"
    upgrade(f"sqlite:///{path}")
    # Fold the WAL into the main file so that the file alone is a complete copy.
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture
def db_url(backend_url: str, request: pytest.FixtureRequest) -> str:
    """URL of a database migrated to head, with empty tables."""
    if not backend_url.startswith("postgresql"):
        target = Path(backend_url[len("sqlite:///"):])
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    elif _postgres_state["migrated"]:
        _empty_postgres_tables(backend_url)
    else:
        _reset_postgres(backend_url)
        upgrade(backend_url)
        _postgres_state["migrated"] = True
    return backend_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """Engine on a fresh, migrated database."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    """A clock the test moves by hand."""
    return ManualClock(START)


@pytest.fixture
def tx(engine: Engine) -> Callable[[], Any]:
    """``with tx() as session:`` runs one committed transaction, like one bot action."""
    return lambda: session_scope(engine)


@dataclass(frozen=True)
class Person:
    """Raw personal data of a test member (what the member types in chat)."""

    id: int
    service_id: str
    number: str
    name: str
    email: str
    birthdate: str
    phone: str


TARO = dict(
    service_id="learning",
    number="3104567821",
    name="山田 太郎",
    name_kana="ヤマダ タロウ",
    email="yamada.family@mail.example",
    birthdate="2014-05-12",
    phone="09012345678",
)


@pytest.fixture
def add_member(tx: Callable[[], Any], clock: ManualClock) -> Callable[..., Person]:
    """Create a member (defaults: 山田 太郎 of すくすくゼミ) and return its raw data."""

    def _add(**overrides: Any) -> Person:
        data: Dict[str, Any] = {**TARO, **overrides}
        service_id = data.pop("service_id")
        with tx() as session:
            member_id = create_member(session, service_id, clock=clock, **data)
        return Person(
            id=member_id,
            service_id=service_id,
            number=data["number"],
            name=data["name"],
            email=data["email"],
            birthdate=data["birthdate"],
            phone=data["phone"],
        )

    return _add


@pytest.fixture
def taro(add_member: Callable[..., Person]) -> Person:
    """山田 太郎, すくすくゼミ member 3104567821."""
    return add_member()


def row_counts(session: Session) -> Dict[str, int]:
    """Number of rows in every table."""
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def table_dump(session: Session) -> Dict[str, list]:
    """Every row of every table as plain values (to look for personal data)."""
    return {
        table.name: [tuple(row) for row in session.execute(select(table)).all()]
        for table in Base.metadata.sorted_tables
    }

"""Engine and Session factory for the member database (SQLite by default, PostgreSQL by URL)."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Optional

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from bot.paths import var_dir

# Seconds a writer waits for another writer's lock before SQLite gives up.
SQLITE_BUSY_TIMEOUT_SECONDS = 30

_engines: Dict[str, Engine] = {}
_engines_lock = threading.Lock()


def database_url() -> str:
    """URL of the member database: env BOT_DATABASE_URL, else ``<repo>/var/bot.sqlite3``."""
    return os.environ.get("BOT_DATABASE_URL") or f"sqlite:///{var_dir() / 'bot.sqlite3'}"


def make_engine(url: Optional[str] = None, **kwargs: Any) -> Engine:
    """Create a 2.0-style engine; SQLite gets foreign keys, WAL and serialized writers."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, future=True, **kwargs)

    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
    connect_args.setdefault("check_same_thread", False)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, otherwise every checkout would see an empty database.
        kwargs.setdefault("poolclass", StaticPool)
    engine = create_engine(url, future=True, connect_args=connect_args, **kwargs)
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        if wal:
            # WAL lets readers continue while one writer works.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock up front, waiting up to the busy timeout.
        # A deferred BEGIN would fail at once (SQLITE_BUSY_SNAPSHOT) when a transaction
        # that has read tries to write after another writer committed; this way
        # concurrent writers queue instead, and read-modify-write code is serialized.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def default_engine() -> Engine:
    """Shared engine for ``database_url()`` (one per URL per process)."""
    url = database_url()
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def make_session(engine: Optional[Engine] = None) -> Session:
    """A new 2.0-style Session; objects stay readable after commit."""
    return Session(engine or default_engine(), future=True, expire_on_commit=False)


@contextmanager
def session_scope(engine: Optional[Engine] = None) -> Iterator[Session]:
    """One transaction: commit when the block succeeds, roll back when it raises."""
    with make_session(engine) as session:
        with session.begin():
            yield session

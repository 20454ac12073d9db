"""Bring the member database up to date: ``python -m bot.backend.migrate`` (Alembic upgrade head)."""
from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Optional, Sequence

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from bot.backend.db import database_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: Optional[str] = None, connection: Optional[Connection] = None) -> Config:
    """Alembic configuration for ``url`` (default: ``database_url()``) or an open connection."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' would be read as interpolation by configparser (e.g. in URL-encoded passwords).
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    # The caller's logging setup stays as it is when used as a library.
    config.attributes["configure_logging"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: Optional[str] = None, revision: str = "base") -> None:
    """Revert migrations down to ``revision``."""
    command.downgrade(alembic_config(url), revision)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="database URL (default: BOT_DATABASE_URL or var/bot.sqlite3)")
    parser.add_argument("--revision", default="head", help="target revision (default: head)")
    parser.add_argument(
        "--rekey",
        action="store_true",
        help="recompute the members' e-mail digests after BOT_SECRET_KEY changed",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    url = args.url or database_url()
    upgrade(url, args.revision)
    if args.rekey:
        from bot.backend.db import make_engine, session_scope
        from bot.backend.members import rekey_members

        engine = make_engine(url)
        try:
            with session_scope(engine) as session:
                changed = rekey_members(session)
        finally:
            engine.dispose()
        logging.getLogger(__name__).info("re-keyed the e-mail digests of %d rows (members and pending registrations)", changed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

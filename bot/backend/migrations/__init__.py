"""Alembic environment of the member database (``python -m bot.backend.migrate``)."""

"""Member backend: service profiles, member data and the services the actions call.

Every public service function takes an open SQLAlchemy ``Session`` and never commits:
the caller owns the transaction (``with session_scope() as session: ...``), so a failed
call leaves nothing half-written. Business outcomes (mismatch, locked, not available, …)
are returned as result values; exceptions mean invalid input or a programming error.
"""

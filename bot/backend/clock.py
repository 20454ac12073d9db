"""Injectable clock so that tests control time (lockouts, token expiry, rate limits)."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Optional, Protocol


class Clock(Protocol):
    """Source of the current time."""

    def now(self) -> datetime:
        """Return the current time as a timezone-aware UTC datetime."""


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that only moves when told to (for tests and demos)."""

    def __init__(self, start: Optional[datetime] = None) -> None:
        start = start or datetime(2024, 4, 1, 1, 0, tzinfo=timezone.utc)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(timezone.utc)
        # Threads in the concurrency tests read the clock while the test may advance it.
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the current (manual) time."""
        with self._lock:
            return self._now

    def advance(self, delta: Optional[timedelta] = None, **kwargs: float) -> datetime:
        """Move the clock forward by ``delta`` or by timedelta keyword arguments."""
        step = delta if delta is not None else timedelta(**kwargs)
        with self._lock:
            self._now += step
            return self._now


SYSTEM_CLOCK: Clock = SystemClock()


def resolve(clock: Optional[Clock]) -> Clock:
    """Return ``clock`` or the system clock when none was given."""
    return clock if clock is not None else SYSTEM_CLOCK

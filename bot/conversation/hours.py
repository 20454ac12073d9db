"""Whether a support desk is open now, read from a profile's hours text (e.g. 「平日 10:00〜17:00」)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Optional

JST = timezone(timedelta(hours=9))
_RANGE = re.compile(r"(毎日|平日|土日祝|土日|平日・土曜)?\s*(\d{1,2}):(\d{2})\s*[〜~\-－]\s*(\d{1,2}):(\d{2})")


def is_open(hours: Optional[str], now: Optional[datetime] = None) -> bool:
    """True when ``now`` (JST) falls in the first time range of ``hours``; unknown formats count as open."""
    if not hours:
        return False
    match = _RANGE.search(hours)
    if match is None:
        return True
    moment = (now or datetime.now(timezone.utc)).astimezone(JST)
    days, h1, m1, h2, m2 = match.groups()
    weekday = moment.weekday()  # public holidays are not known here; agents see the queue anyway
    if days == "平日" and weekday >= 5:
        return False
    if days == "平日・土曜" and weekday == 6:
        return False
    if days in ("土日", "土日祝") and weekday < 5:
        return False
    minutes = moment.hour * 60 + moment.minute
    return int(h1) * 60 + int(m1) <= minutes < int(h2) * 60 + int(m2)

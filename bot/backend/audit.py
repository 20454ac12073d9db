"""Audit events: who did what to which record, with ids and masked values only."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Mapping, Optional, Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend.clock import Clock, resolve
from bot.backend.models import AuditEvent, ActorType

DetailValue = Union[str, int, bool, None]

_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_DETAIL_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_DETAIL_TEXT = re.compile(r"[A-Za-z0-9_.:*@+-]{0,100}")
# Six or more digits in a row, or a date, can only be a number, phone or birth date in clear.
_LONG_DIGITS = re.compile(r"\d{6,}")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


class PersonalDataInAudit(ValueError):
    """An audit detail looked like raw personal data and was refused."""


@dataclass(frozen=True)
class AuditRecord:
    """Read-only view of an audit event."""

    id: int
    created_at: datetime
    actor_type: ActorType
    actor_id: Optional[str]
    action: str
    service_id: Optional[str]
    member_id: Optional[int]
    conversation_id: Optional[str]
    ticket_id: Optional[int]
    details: Dict[str, DetailValue]


def check_detail(key: str, value: DetailValue) -> None:
    """Refuse a detail that is not an id, a code, a count or a masked value."""
    if not _DETAIL_KEY.fullmatch(key):
        raise PersonalDataInAudit(f"audit detail key {key!r} is not a plain code")
    if value is None or isinstance(value, (bool, int)):
        return
    if not isinstance(value, str) or not _DETAIL_TEXT.fullmatch(value):
        raise PersonalDataInAudit(f"audit detail {key!r} must be a code, an id or a masked value")
    unmasked_email = "@" in value and "*" not in value.split("@", 1)[0]
    if unmasked_email or _LONG_DIGITS.search(value) or _DATE.search(value):
        raise PersonalDataInAudit(f"audit detail {key!r} looks like unmasked personal data")


def record(
    session: Session,
    action: str,
    *,
    actor: ActorType,
    actor_id: Optional[Union[str, int]] = None,
    service_id: Optional[str] = None,
    member_id: Optional[int] = None,
    conversation_id: Optional[str] = None,
    ticket_id: Optional[int] = None,
    details: Optional[Mapping[str, DetailValue]] = None,
    clock: Optional[Clock] = None,
) -> None:
    """Add an audit event to the session's transaction (details: ids, codes, masked values)."""
    if not _ACTION.fullmatch(action):
        raise ValueError(f"audit action {action!r} must look like 'number.reissued'")
    clean = dict(details or {})
    for key, value in clean.items():
        check_detail(key, value)
    session.add(
        AuditEvent(
            created_at=resolve(clock).now(),
            actor_type=ActorType(actor).value,
            actor_id=None if actor_id is None else str(actor_id),
            action=action,
            service_id=service_id,
            member_id=member_id,
            conversation_id=conversation_id,
            ticket_id=ticket_id,
            details=clean or None,
        )
    )


def events(
    session: Session,
    *,
    member_id: Optional[int] = None,
    action: Optional[str] = None,
    limit: int = 200,
) -> List[AuditRecord]:
    """Audit events, oldest first, optionally for one member or one action."""
    session.flush()
    query = select(AuditEvent).order_by(AuditEvent.id).limit(limit)
    if member_id is not None:
        query = query.where(AuditEvent.member_id == member_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return [
        AuditRecord(
            id=row.id,
            created_at=row.created_at,
            actor_type=ActorType(row.actor_type),
            actor_id=row.actor_id,
            action=row.action,
            service_id=row.service_id,
            member_id=row.member_id,
            conversation_id=row.conversation_id,
            ticket_id=row.ticket_id,
            details=dict(row.details or {}),
        )
        for row in session.execute(query).scalars()
    ]

"""Mail outbox: services queue mails here; a sender (SMTP later) delivers them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import List, Optional, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend.clock import Clock, resolve
from bot.backend.models import OutboxMail


class MailKind(str, Enum):
    """Why a mail is sent."""

    NUMBER_NOTICE = "number_notice"  # the full member number after verification
    NUMBER_REISSUED = "number_reissued"
    PASSWORD_RESET = "password_reset"
    REGISTRATION = "registration"  # provisional-registration confirmation link
    REGISTRATION_RESENT = "registration_resent"  # the same, sent again on request (rate limited)


@dataclass(frozen=True)
class Mail:
    """A queued mail."""

    id: int
    service_id: str
    kind: MailKind
    to: str
    subject: str
    body: str
    member_id: Optional[int]
    created_at: datetime
    sent_at: Optional[datetime]


class MailSender(Protocol):
    """Delivers one mail (an SMTP sender implements this later)."""

    def send(self, mail: Mail) -> None:
        """Send ``mail`` or raise."""


def queue_mail(
    session: Session,
    *,
    service_id: str,
    kind: MailKind,
    to: str,
    subject: str,
    body: str,
    member_id: Optional[int] = None,
    pending_registration_id: Optional[int] = None,
    clock: Optional[Clock] = None,
) -> None:
    """Put a mail into the outbox within the caller's transaction."""
    session.add(
        OutboxMail(
            service_id=service_id,
            kind=MailKind(kind).value,
            to_address=to,
            subject=subject,
            body=body,
            member_id=member_id,
            pending_registration_id=pending_registration_id,
            created_at=resolve(clock).now(),
        )
    )


def _view(row: OutboxMail) -> Mail:
    return Mail(
        id=row.id,
        service_id=row.service_id,
        kind=MailKind(row.kind),
        to=row.to_address,
        subject=row.subject,
        body=row.body,
        member_id=row.member_id,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def mails_to(session: Session, address: str, kind: Optional[MailKind] = None) -> List[Mail]:
    """Mails addressed to ``address``, oldest first."""
    session.flush()
    query = select(OutboxMail).where(OutboxMail.to_address == address).order_by(OutboxMail.id)
    if kind is not None:
        query = query.where(OutboxMail.kind == MailKind(kind).value)
    return [_view(row) for row in session.execute(query).scalars()]


def unsent(session: Session, limit: int = 100) -> List[Mail]:
    """Mails not yet delivered, oldest first."""
    session.flush()
    query = select(OutboxMail).where(OutboxMail.sent_at.is_(None)).order_by(OutboxMail.id).limit(limit)
    return [_view(row) for row in session.execute(query).scalars()]


def deliver(session: Session, sender: MailSender, *, limit: int = 100, clock: Optional[Clock] = None) -> int:
    """Hand unsent mails to ``sender``; returns how many were sent."""
    sent = 0
    for mail in unsent(session, limit):
        sender.send(mail)
        row = session.get(OutboxMail, mail.id)
        row.sent_at = resolve(clock).now()
        # A delivered body (it may hold a full number or a reset link) is not kept.
        row.body = ""
        sent += 1
    return sent

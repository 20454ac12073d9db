"""Provisional registrations and resending their confirmation mail (rate limited)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.backend import audit, inputs, keys, mails, outbox
from bot.backend.clock import Clock, resolve
from bot.backend.models import NAME_LENGTH, ActorType, OutboxMail, PendingRegistration
from bot.backend.profiles import ServiceProfile, get_profile

# How long a confirmation link of a provisional registration stays valid.
PENDING_HOURS = 72


class ResendOutcome(str, Enum):
    """The one reply to a resend request: it never tells whether a registration exists."""

    ACCEPTED = "accepted"


@dataclass(frozen=True)
class ResendResult:
    """Outcome of ``resend_registration_mail``."""

    outcome: ResendOutcome
    limit_per_hour: int
    subject: str  # the subject to look for in the mailbox


def create_pending_registration(
    session: Session,
    service_id: str,
    email: str,
    *,
    name: Optional[str] = None,
    send_mail: bool = True,
    clock: Optional[Clock] = None,
) -> int:
    """Record a provisional registration (and mail its confirmation link); returns its id."""
    profile = get_profile(service_id)
    address = inputs.email(email)
    display_name = inputs.short_text(name, "name", NAME_LENGTH, required=False)
    now = resolve(clock).now()
    token = secrets.token_urlsafe(32)
    row = PendingRegistration(
        service_id=profile.id,
        email=address,
        email_digest=keys.email_digest(address),
        name=display_name,
        token_digest=keys.token_digest(token),
        created_at=now,
        expires_at=now + timedelta(hours=PENDING_HOURS),
    )
    session.add(row)
    session.flush()
    if send_mail:
        _queue(session, profile, row, token, clock, outbox.MailKind.REGISTRATION)
    return row.id


def resend_registration_mail(
    session: Session,
    service_id: str,
    email: str,
    *,
    conversation_id: Optional[str] = None,
    clock: Optional[Clock] = None,
) -> ResendResult:
    """Send a fresh confirmation link for a pending registration, at most N per hour; same reply either way."""
    profile = get_profile(service_id)
    if conversation_id is not None:
        conversation_id = inputs.identifier(conversation_id, "conversation_id")
    now = resolve(clock).now()
    digest = keys.email_digest(email) if isinstance(email, str) else keys.keyed_digest("email", "")
    pending = session.execute(
        select(PendingRegistration)
        .where(PendingRegistration.service_id == profile.id, PendingRegistration.email_digest == digest)
        .where(PendingRegistration.completed_at.is_(None), PendingRegistration.expires_at > now)
        .order_by(PendingRegistration.created_at.desc(), PendingRegistration.id.desc())
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()
    # A new token is drawn either way so both paths cost the same.
    token = secrets.token_urlsafe(32)
    token_hash = keys.token_digest(token)
    limit = profile.registration_mail.resend_limit_per_hour
    result = ResendResult(ResendOutcome.ACCEPTED, limit, mails.registration(profile, "")[0])
    if pending is None:
        return result
    sent_last_hour = session.execute(
        select(func.count(OutboxMail.id)).where(
            OutboxMail.pending_registration_id == pending.id,
            OutboxMail.kind == outbox.MailKind.REGISTRATION_RESENT.value,
            OutboxMail.created_at > now - timedelta(hours=1),
        )
    ).scalar_one()
    if sent_last_hour >= limit:
        audit.record(
            session, "registration.resend_limited", actor=ActorType.SYSTEM, service_id=profile.id,
            conversation_id=conversation_id, details={"pending_registration_id": pending.id}, clock=clock,
        )
        return result
    # The old link stops working: only the newest mail is valid.
    pending.token_digest = token_hash
    _queue(session, profile, pending, token, clock, outbox.MailKind.REGISTRATION_RESENT)
    audit.record(
        session, "registration.mail_resent", actor=ActorType.SYSTEM, service_id=profile.id,
        conversation_id=conversation_id, details={"pending_registration_id": pending.id}, clock=clock,
    )
    return result


def _queue(
    session: Session,
    profile: ServiceProfile,
    row: PendingRegistration,
    token: str,
    clock: Optional[Clock],
    kind: outbox.MailKind,
) -> None:
    subject, body = mails.registration(profile, mails.site_link(profile, "register/confirm", token))
    outbox.queue_mail(
        session, service_id=profile.id, kind=kind, to=row.email, subject=subject,
        body=body, pending_registration_id=row.id, clock=clock,
    )

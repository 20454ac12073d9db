"""Handoff tickets: conversations passed to a human agent, with masked transcripts."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend import audit, inputs
from bot.backend.clock import Clock, resolve
from bot.backend.models import REASON_LENGTH, TRANSCRIPT_LENGTH, ActorType, HandoffTicket, TicketStatus, VerificationSession
from bot.backend.profiles import get_profile
from bot.privacy.masking import mask_text

logger = logging.getLogger(__name__)

Redactor = Callable[[str], str]


@dataclass(frozen=True)
class Ticket:
    """Read-only view of a handoff ticket."""

    id: int
    conversation_id: str
    service_id: str
    reason: str
    transcript: str
    status: TicketStatus
    member_id: Optional[int]
    agent_id: Optional[str]
    created_at: datetime
    closed_at: Optional[datetime]


def default_redactor() -> Redactor:
    """The entity-based redactor of bot.privacy.redact, or the coarse mask when unavailable."""
    try:
        from bot.privacy.redact import redact  # heavy (spaCy); imported only when needed
    except Exception:  # noqa: BLE001 - any import failure must not block a handoff
        logger.warning("bot.privacy.redact is unavailable; handoff transcripts get the coarse mask only")
        return mask_text
    return redact


def mask_transcript(transcript: str, redactor: Optional[Redactor] = None) -> str:
    """Mask personal data in a transcript again, however it was masked before."""
    text = inputs.long_text(transcript, "transcript", TRANSCRIPT_LENGTH)
    try:
        redacted = (redactor or default_redactor())(text)
    except Exception:  # noqa: BLE001 - a failing redactor must not block a handoff
        logger.exception("transcript redactor failed; using the coarse mask only")
        redacted = text
    # The coarse mask runs last as a safety net behind the entity-based one.
    return mask_text(redacted)


def open_ticket(
    session: Session,
    conversation_id: str,
    service_id: str,
    *,
    reason: str,
    transcript: str,
    redactor: Optional[Redactor] = None,
    clock: Optional[Clock] = None,
) -> Ticket:
    """Open a ticket for the conversation (or refresh its open one) with a masked transcript."""
    profile = get_profile(service_id)
    conversation_id = inputs.identifier(conversation_id, "conversation_id")
    why = mask_text(inputs.short_text(reason, "reason", REASON_LENGTH))  # type: ignore[arg-type]
    masked = mask_transcript(transcript, redactor)
    now = resolve(clock).now()
    verified = session.execute(
        select(VerificationSession.verified_member_id).where(
            VerificationSession.conversation_id == conversation_id, VerificationSession.service_id == profile.id,
            VerificationSession.expires_at > now,
        )
    ).scalar_one_or_none()
    ticket = session.execute(
        select(HandoffTicket)
        .where(
            HandoffTicket.conversation_id == conversation_id,
            HandoffTicket.service_id == profile.id,
            HandoffTicket.status == TicketStatus.OPEN.value,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if ticket is None:
        ticket = HandoffTicket(
            conversation_id=conversation_id, service_id=profile.id, status=TicketStatus.OPEN.value, created_at=now
        )
        session.add(ticket)
        action = "handoff.opened"
    else:
        action = "handoff.updated"
    ticket.reason = why
    ticket.transcript = masked
    ticket.member_id = verified or ticket.member_id
    ticket.updated_at = now
    session.flush()
    audit.record(
        session, action, actor=ActorType.SYSTEM, service_id=profile.id, member_id=ticket.member_id,
        conversation_id=conversation_id, ticket_id=ticket.id, clock=clock,
    )
    return _view(ticket)


def close_ticket(
    session: Session, ticket_id: int, *, agent_id: str, clock: Optional[Clock] = None
) -> Optional[Ticket]:
    """Close a ticket as ``agent_id``; None when no such ticket exists."""
    agent = inputs.identifier(agent_id, "agent_id", max_length=64)
    ticket = session.execute(
        select(HandoffTicket).where(HandoffTicket.id == ticket_id).with_for_update()
    ).scalar_one_or_none()
    if ticket is None:
        return None
    if ticket.status != TicketStatus.CLOSED.value:
        now = resolve(clock).now()
        ticket.status = TicketStatus.CLOSED.value
        ticket.agent_id = agent
        ticket.closed_at = now
        ticket.updated_at = now
        audit.record(
            session, "handoff.closed", actor=ActorType.AGENT, actor_id=agent, service_id=ticket.service_id,
            member_id=ticket.member_id, conversation_id=ticket.conversation_id, ticket_id=ticket.id, clock=clock,
        )
    return _view(ticket)


def list_tickets(
    session: Session,
    *,
    service_id: Optional[str] = None,
    status: Optional[TicketStatus] = TicketStatus.OPEN,
    limit: int = 100,
) -> List[Ticket]:
    """Tickets, oldest first (open ones by default; status None lists all)."""
    query = select(HandoffTicket).order_by(HandoffTicket.created_at, HandoffTicket.id).limit(limit)
    if service_id is not None:
        query = query.where(HandoffTicket.service_id == get_profile(service_id).id)
    if status is not None:
        query = query.where(HandoffTicket.status == TicketStatus(status).value)
    return [_view(row) for row in session.execute(query).scalars()]


def get_ticket(session: Session, ticket_id: int) -> Optional[Ticket]:
    """One ticket, or None."""
    row = session.get(HandoffTicket, ticket_id)
    return None if row is None else _view(row)


def _view(row: HandoffTicket) -> Ticket:
    return Ticket(
        id=row.id,
        conversation_id=row.conversation_id,
        service_id=row.service_id,
        reason=row.reason,
        transcript=row.transcript,
        status=TicketStatus(row.status),
        member_id=row.member_id,
        agent_id=row.agent_id,
        created_at=row.created_at,
        closed_at=row.closed_at,
    )

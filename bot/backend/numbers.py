"""Revealing (masked in chat, full by mail) and reissuing member numbers."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import List, Optional, Tuple, Union

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.backend import audit, inputs, mails, outbox, verification
from bot.backend.clock import Clock, resolve
from bot.backend.models import (
    REASON_LENGTH,
    ActorType,
    Member,
    MemberStatus,
    NumberHistory,
    PostalRequest,
    PostalStatus,
    VerificationSession,
)
from bot.backend.profiles import PostalItem, RevealPolicy, ServiceProfile, get_profile
from bot.privacy.masking import mask_email, mask_number, mask_text

# Members in these states may have their number revealed or reissued by the bot.
_SERVED = (MemberStatus.ACTIVE.value, MemberStatus.LOCKED.value)


def generate_number(profile: ServiceProfile) -> str:
    """A random number in the profile's format, from the OS CSPRNG (never starts with 0)."""
    for _ in range(1000):
        number = secrets.choice("123456789") + "".join(
            secrets.choice("0123456789") for _ in range(profile.number.digits - 1)
        )
        if profile.number.matches(number):
            return number
    raise ValueError(f"{profile.id}: number pattern {profile.number.pattern!r} cannot be generated")


class RevealOutcome(str, Enum):
    """Result of asking for a forgotten number."""

    MAILED = "mailed"
    NOT_VERIFIED = "not_verified"
    ACCOUNT_SUSPENDED = "account_suspended"  # an agent has to help


@dataclass(frozen=True)
class RevealResult:
    """What the bot may say after a reveal."""

    outcome: RevealOutcome
    label: str
    masked_number: Optional[str] = None  # None when the policy shows nothing in chat
    masked_email: Optional[str] = None
    mail_sent: bool = False  # False when this conversation already had the mail


def reveal_number(
    session: Session, conversation_id: str, service_id: str, *, clock: Optional[Clock] = None
) -> RevealResult:
    """After verification: masked number for the chat, full number mailed to the registered address."""
    profile = get_profile(service_id)
    label = profile.number.label
    member_id = verification.verified_member_id(session, conversation_id, service_id, "reveal", clock=clock)
    if member_id is None:
        return RevealResult(RevealOutcome.NOT_VERIFIED, label)
    member = session.get(Member, member_id)
    if member is None or member.status not in _SERVED:
        return RevealResult(RevealOutcome.ACCOUNT_SUSPENDED, label)
    now = resolve(clock).now()
    row = session.execute(
        select(VerificationSession).where(
            VerificationSession.conversation_id == conversation_id.strip(),
            VerificationSession.service_id == profile.id,
        )
    ).scalar_one()
    # One mail per verified conversation; asking again only repeats the masked form.
    mail_sent = row.revealed_at is None
    if mail_sent:
        subject, body = mails.number_notice(profile, member.name, member.member_number)
        outbox.queue_mail(
            session, service_id=profile.id, kind=outbox.MailKind.NUMBER_NOTICE, to=member.email,
            subject=subject, body=body, member_id=member.id, clock=clock,
        )
        row.revealed_at = now
        audit.record(
            session, "number.revealed", actor=ActorType.MEMBER, actor_id=member.id, service_id=profile.id,
            member_id=member.id, conversation_id=row.conversation_id,
            details={"number": mask_number(member.member_number), "policy": profile.reveal_policy.value},
            clock=clock,
        )
    in_chat = profile.reveal_policy is RevealPolicy.MASKED_IN_CHAT_FULL_BY_MAIL
    return RevealResult(
        RevealOutcome.MAILED,
        label,
        masked_number=mask_number(member.member_number) if in_chat else None,
        masked_email=mask_email(member.email),
        mail_sent=mail_sent,
    )


class ReissueOutcome(str, Enum):
    """Result of a reissue request."""

    REISSUED = "reissued"
    # This key was already handled, or the number was reissued moments ago: no second number.
    ALREADY_REISSUED = "already_reissued"
    NOT_VERIFIED = "not_verified"
    ACCOUNT_SUSPENDED = "account_suspended"


@dataclass(frozen=True)
class ReissueResult:
    """What the bot may say after a reissue."""

    outcome: ReissueOutcome
    label: str
    masked_number: Optional[str] = None
    postal_items: Tuple[PostalItem, ...] = ()
    mail_sent: bool = False


@dataclass(frozen=True)
class NumberRecord:
    """One number a member has had."""

    number: str
    issued_at: datetime
    retired_at: Optional[datetime]
    retire_reason: Optional[str]


def reissue_number(
    session: Session,
    conversation_id: str,
    service_id: str,
    *,
    idempotency_key: str,
    reason: str,
    clock: Optional[Clock] = None,
) -> ReissueResult:
    """Reissue the number of the member this conversation verified (with the reissue factors)."""
    profile = get_profile(service_id)
    member_id = verification.verified_member_id(session, conversation_id, service_id, "reissue", clock=clock)
    if member_id is None:
        return ReissueResult(ReissueOutcome.NOT_VERIFIED, profile.number.label)
    return reissue_member_number(
        session, member_id, idempotency_key=idempotency_key, reason=reason, actor=ActorType.MEMBER,
        actor_id=member_id, conversation_id=conversation_id.strip(), clock=clock,
    )


def reissue_member_number(
    session: Session,
    member_id: int,
    *,
    idempotency_key: str,
    reason: str,
    actor: ActorType = ActorType.AGENT,
    actor_id: Union[str, int, None] = None,
    conversation_id: Optional[str] = None,
    clock: Optional[Clock] = None,
) -> ReissueResult:
    """Give ``member_id`` a new number; the old one is retired for good. Safe to repeat with one key."""
    key = inputs.identifier(idempotency_key, "idempotency_key")
    # The reason may quote the member; keep it short and masked.
    why = mask_text(inputs.short_text(reason, "reason", REASON_LENGTH))  # type: ignore[arg-type]
    now = resolve(clock).now()

    # Row lock on PostgreSQL (SQLite transactions are serialized already): simultaneous
    # requests for one member run one after the other, and the later one sees the first.
    member = session.execute(select(Member).where(Member.id == member_id).with_for_update()).scalar_one_or_none()
    if member is None:
        raise LookupError(f"no member with id {member_id}")
    profile = get_profile(member.service_id)
    label = profile.number.label

    done = session.execute(select(NumberHistory).where(NumberHistory.reissue_key == key)).scalar_one_or_none()
    if done is not None:
        if done.member_id != member.id:
            raise ValueError("idempotency key already used for another member")
        return ReissueResult(ReissueOutcome.ALREADY_REISSUED, label, mask_number(done.number))
    if member.status not in _SERVED:
        return ReissueResult(ReissueOutcome.ACCOUNT_SUSPENDED, label)
    if _recently_reissued(session, member, profile, now):
        return ReissueResult(ReissueOutcome.ALREADY_REISSUED, label, mask_number(member.member_number))

    old_number, version = member.member_number, member.version
    new_number = _assign_new_number(session, member, profile, key, why, version, now)
    if new_number is None:
        # Someone else changed the number between our read and our write.
        session.expire(member)
        return ReissueResult(ReissueOutcome.ALREADY_REISSUED, label, mask_number(member.member_number))

    for item in profile.reissue.postal_items:
        session.add(
            PostalRequest(
                member_id=member.id, service_id=profile.id, item=item.value, reason="number_reissue",
                status=PostalStatus.REQUESTED.value, created_at=now,
            )
        )
    subject, body = mails.number_reissued(profile, member.name, new_number, postal=bool(profile.reissue.postal_items))
    outbox.queue_mail(
        session, service_id=profile.id, kind=outbox.MailKind.NUMBER_REISSUED, to=member.email,
        subject=subject, body=body, member_id=member.id, clock=clock,
    )
    audit.record(
        session, "number.reissued", actor=actor, actor_id=actor_id, service_id=profile.id, member_id=member.id,
        conversation_id=conversation_id,
        details={
            "old_number": mask_number(old_number),
            "new_number": mask_number(new_number),
            "postal_items": len(profile.reissue.postal_items),
        },
        clock=clock,
    )
    return ReissueResult(
        ReissueOutcome.REISSUED, label, mask_number(new_number), profile.reissue.postal_items, mail_sent=True
    )


def number_history(session: Session, member_id: int) -> List[NumberRecord]:
    """Every number ``member_id`` has had, oldest first."""
    rows = session.execute(
        select(NumberHistory).where(NumberHistory.member_id == member_id).order_by(NumberHistory.issued_at, NumberHistory.id)
    ).scalars()
    return [NumberRecord(row.number, row.issued_at, row.retired_at, row.retire_reason) for row in rows]


def _recently_reissued(session: Session, member: Member, profile: ServiceProfile, now: datetime) -> bool:
    current = session.execute(
        select(NumberHistory).where(
            NumberHistory.service_id == profile.id, NumberHistory.number == member.member_number
        )
    ).scalar_one_or_none()
    window = timedelta(minutes=profile.reissue.cooldown_minutes)
    return current is not None and current.reissue_key is not None and current.issued_at > now - window


def _assign_new_number(
    session: Session,
    member: Member,
    profile: ServiceProfile,
    key: str,
    reason: str,
    version: int,
    now: datetime,
) -> Optional[str]:
    old_number = member.member_number
    for _ in range(5):
        candidate = generate_number(profile)
        if session.execute(
            select(NumberHistory.id).where(NumberHistory.service_id == profile.id, NumberHistory.number == candidate)
        ).first():
            continue
        try:
            with session.begin_nested():
                # Conditional UPDATE on the version: of two racing writers only one matches.
                changed = session.execute(
                    update(Member)
                    .where(Member.id == member.id, Member.version == version)
                    .values(member_number=candidate, version=version + 1, number_issued_at=now, updated_at=now)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if changed != 1:
                    return None
                session.execute(
                    update(NumberHistory)
                    .where(NumberHistory.member_id == member.id, NumberHistory.number == old_number)
                    .values(retired_at=now, retire_reason=reason)
                    .execution_options(synchronize_session=False)
                )
                session.add(
                    NumberHistory(
                        member_id=member.id, service_id=profile.id, number=candidate, issued_at=now, reissue_key=key
                    )
                )
                session.flush()
        except IntegrityError:
            # The number was taken by a concurrent writer after our check: draw another.
            continue
        session.expire(member)
        return candidate
    raise RuntimeError("could not find a free member number")  # pragma: no cover

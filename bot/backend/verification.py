"""Identity verification per conversation: factor digests, attempt limits and lockouts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import Dict, Iterable, List, Optional, Tuple, Union

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.backend import audit, inputs, keys
from bot.backend.clock import Clock, resolve
from bot.backend.members import find_by_email_digest
from bot.backend.models import ActorType, Lockout, Member, VerificationAttempt, VerificationSession
from bot.backend.profiles import Factor, ServiceProfile, get_profile

# Collected factors and a successful verification are forgotten after this much quiet time.
SESSION_MINUTES = 30

_DIGEST_COLUMNS: Dict[Factor, str] = {
    Factor.EMAIL: "email_digest",
    Factor.BIRTHDATE: "birthdate_digest",
    Factor.PHONE: "phone_digest",
}


class VerificationStatus(str, Enum):
    """Outcome of a verification attempt."""

    VERIFIED = "verified"
    MISMATCH = "mismatch"
    CONVERSATION_EXHAUSTED = "conversation_exhausted"
    LOCKED = "locked"
    NEED_MORE = "need_more"
    # Several members match every factor (e.g. twins on one family address): an agent decides.
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class VerificationResult:
    """What ``verify`` found."""

    status: VerificationStatus
    member_id: Optional[int] = None
    remaining_attempts: Optional[int] = None
    missing: Tuple[Factor, ...] = ()
    locked_until: Optional[datetime] = None

    @property
    def verified(self) -> bool:
        """True for VERIFIED."""
        return self.status is VerificationStatus.VERIFIED


def submit_factors(
    session: Session,
    conversation_id: str,
    service_id: str,
    *,
    email: Optional[str] = None,
    birthdate: Union[str, date, None] = None,
    phone: Optional[str] = None,
    clock: Optional[Clock] = None,
) -> Tuple[Factor, ...]:
    """Keep keyed digests of the given factors for this conversation; returns the factors held."""
    profile = get_profile(service_id)
    conversation_id = inputs.identifier(conversation_id, "conversation_id")
    digests = _digests(email=email, birthdate=birthdate, phone=phone)
    now = resolve(clock).now()
    row = _session_row(session, conversation_id, profile, now, create=True)
    assert row is not None
    if row.exhausted_at is not None:
        return ()
    for factor, digest in digests.items():
        if getattr(row, _DIGEST_COLUMNS[factor]) != digest:
            # A changed factor may point at someone else: the earlier verification no longer holds.
            row.verified_member_id = None
            row.verified_factors = None
            row.verified_at = None
        setattr(row, _DIGEST_COLUMNS[factor], digest)
    row.expires_at = now + timedelta(minutes=SESSION_MINUTES)
    return _held(row)


def verify(
    session: Session,
    conversation_id: str,
    service_id: str,
    purpose: str = "reveal",
    *,
    clock: Optional[Clock] = None,
) -> VerificationResult:
    """Check the collected factors against the members of the service and count failures."""
    profile = get_profile(service_id)
    conversation_id = inputs.identifier(conversation_id, "conversation_id")
    required = profile.required_factors(purpose)
    now = resolve(clock).now()
    row = _session_row(session, conversation_id, profile, now, create=False)
    if row is None:
        return VerificationResult(VerificationStatus.NEED_MORE, missing=required)
    if row.exhausted_at is not None:
        return VerificationResult(VerificationStatus.CONVERSATION_EXHAUSTED, remaining_attempts=0)
    if row.verified_member_id is not None and set(required) <= _verified_factors(row):
        return VerificationResult(VerificationStatus.VERIFIED, member_id=row.verified_member_id)
    held = _held(row)
    missing = tuple(factor for factor in required if factor not in held)
    if missing:
        return VerificationResult(VerificationStatus.NEED_MORE, missing=missing)

    subject = row.email_digest
    _serialize_subject(session, subject)
    lock = _active_lockout(session, profile, subject, now)
    if lock is not None:
        return VerificationResult(VerificationStatus.LOCKED, remaining_attempts=0, locked_until=lock.locked_until)

    candidates = find_by_email_digest(session, profile, subject)
    matches = [member for member in candidates if _matches(member, row, required)]
    if not candidates:
        # Spend the same comparisons as for a real member, so timing does not tell.
        _matches(None, row, required)

    if len(matches) == 1:
        return _succeed(session, row, profile, matches[0], required, now, clock)
    if len(matches) > 1:
        audit.record(
            session, "verification.ambiguous", actor=ActorType.SYSTEM, service_id=profile.id,
            conversation_id=conversation_id, details={"candidates": len(matches)}, clock=clock,
        )
        return VerificationResult(VerificationStatus.AMBIGUOUS)
    suspect = candidates[0].id if len(candidates) == 1 else None
    return _fail(session, row, profile, subject, suspect, now, clock)


def verified_member_id(
    session: Session,
    conversation_id: str,
    service_id: str,
    purpose: str = "reveal",
    *,
    clock: Optional[Clock] = None,
) -> Optional[int]:
    """The member this conversation verified with the factors ``purpose`` needs, if still valid."""
    profile = get_profile(service_id)
    conversation_id = inputs.identifier(conversation_id, "conversation_id")
    row = _session_row(session, conversation_id, profile, resolve(clock).now(), create=False)
    if row is None or row.verified_member_id is None:
        return None
    if not set(profile.required_factors(purpose)) <= _verified_factors(row):
        return None
    return row.verified_member_id


def forget(session: Session, conversation_id: str, service_id: str) -> None:
    """Drop collected factors and verification of a conversation (its failure count stays)."""
    profile = get_profile(service_id)
    conversation_id = inputs.identifier(conversation_id, "conversation_id")
    row = session.execute(_row_query(conversation_id, profile)).scalar_one_or_none()
    if row is not None:
        _clear(row)


def held_factors(
    session: Session, conversation_id: str, service_id: str, *, clock: Optional[Clock] = None
) -> Tuple[Factor, ...]:
    """The factors this conversation has given and not lost (held or verified), in a live session."""
    profile = get_profile(service_id)
    conversation_id = inputs.identifier(conversation_id, "conversation_id")
    row = _session_row(session, conversation_id, profile, resolve(clock).now(), create=False)
    if row is None:
        return ()
    given = set(_held(row)) | _verified_factors(row)
    return tuple(factor for factor in _DIGEST_COLUMNS if factor in given)


def lockout_until(
    session: Session, service_id: str, email: str, *, clock: Optional[Clock] = None
) -> Optional[datetime]:
    """When verification for ``email`` unlocks, or None when it is not locked."""
    profile = get_profile(service_id)
    lock = _active_lockout(session, profile, keys.email_digest(email), resolve(clock).now())
    return None if lock is None else lock.locked_until


def _digests(
    *, email: Optional[str], birthdate: Union[str, date, None], phone: Optional[str]
) -> Dict[Factor, str]:
    digests: Dict[Factor, str] = {}
    for factor, value in ((Factor.EMAIL, email), (Factor.BIRTHDATE, birthdate), (Factor.PHONE, phone)):
        if value is None:
            continue
        if isinstance(value, datetime) or not isinstance(value, (str, date)) or (
            factor is not Factor.BIRTHDATE and isinstance(value, date)
        ):
            raise inputs.InvalidInput(factor.value, "must be text")
        if isinstance(value, str) and not value.strip():
            raise inputs.InvalidInput(factor.value, "is empty")
        # Any text can be digested; a malformed value simply never matches a member.
        if factor is Factor.EMAIL:
            digests[factor] = keys.email_digest(value)  # type: ignore[arg-type]
        elif factor is Factor.BIRTHDATE:
            digests[factor] = keys.birthdate_digest(value)
        else:
            digests[factor] = keys.phone_digest(value)  # type: ignore[arg-type]
    return digests


def _row_query(conversation_id: str, profile: ServiceProfile):  # type: ignore[no-untyped-def]
    return (
        select(VerificationSession)
        .where(VerificationSession.conversation_id == conversation_id, VerificationSession.service_id == profile.id)
        .with_for_update()
    )


def _session_row(
    session: Session, conversation_id: str, profile: ServiceProfile, now: datetime, create: bool
) -> Optional[VerificationSession]:
    row = session.execute(_row_query(conversation_id, profile)).scalar_one_or_none()
    if row is None and create:
        try:
            with session.begin_nested():
                row = VerificationSession(
                    conversation_id=conversation_id,
                    service_id=profile.id,
                    failed_attempts=0,
                    created_at=now,
                    expires_at=now + timedelta(minutes=SESSION_MINUTES),
                )
                session.add(row)
        except IntegrityError:
            # Another request created it at the same moment; use theirs.
            row = session.execute(_row_query(conversation_id, profile)).scalar_one()
    if row is not None and row.expires_at <= now:
        _clear(row)
    return row


def _clear(row: VerificationSession) -> None:
    row.email_digest = row.birthdate_digest = row.phone_digest = None
    row.verified_member_id = None
    row.verified_factors = None
    row.verified_at = None
    row.revealed_at = None


def _held(row: VerificationSession) -> Tuple[Factor, ...]:
    return tuple(factor for factor, column in _DIGEST_COLUMNS.items() if getattr(row, column) is not None)


def _verified_factors(row: VerificationSession) -> set:
    return {Factor(value) for value in (row.verified_factors or "").split(",") if value}


def _member_digest(member: Member, factor: Factor) -> str:
    if factor is Factor.EMAIL:
        return member.email_digest
    if factor is Factor.BIRTHDATE:
        return keys.birthdate_digest(member.birthdate)
    return keys.phone_digest(member.phone)


def _matches(member: Optional[Member], row: VerificationSession, required: Iterable[Factor]) -> bool:
    # Every factor is compared (no early exit) with a constant-time comparison.
    results: List[bool] = []
    for factor in required:
        expected = _member_digest(member, factor) if member is not None else keys.keyed_digest("none", factor.value)
        results.append(keys.digests_equal(expected, getattr(row, _DIGEST_COLUMNS[factor])))
    return member is not None and all(results)


def _serialize_subject(session: Session, subject: str) -> None:
    # Failures for one subject may arrive from several conversations at once. PostgreSQL
    # gets a transaction-scoped advisory lock so each count sees the others' attempts;
    # SQLite transactions are already serialized (BEGIN IMMEDIATE, see db.py).
    if session.get_bind().dialect.name == "postgresql":
        key = int(subject[:15], 16)
        session.execute(select(func.pg_advisory_xact_lock(key)))


def _active_lockout(session: Session, profile: ServiceProfile, subject: str, now: datetime) -> Optional[Lockout]:
    query = (
        select(Lockout)
        .where(Lockout.service_id == profile.id, Lockout.subject_digest == subject, Lockout.locked_until > now)
        .order_by(Lockout.locked_until.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def _failures_since_reset(session: Session, profile: ServiceProfile, subject: str, now: datetime) -> int:
    # A count restarts after a lockout began or after a successful verification.
    since = now - timedelta(minutes=profile.lockout.window_minutes)
    last_lock = session.execute(
        select(func.max(Lockout.locked_at)).where(Lockout.service_id == profile.id, Lockout.subject_digest == subject)
    ).scalar()
    last_success = session.execute(
        select(func.max(VerificationAttempt.created_at)).where(
            VerificationAttempt.service_id == profile.id,
            VerificationAttempt.subject_digest == subject,
            VerificationAttempt.succeeded.is_(True),
        )
    ).scalar()
    for moment in (last_lock, last_success):
        if moment is not None:
            since = max(since, _aware(moment))
    return session.execute(
        select(func.count(VerificationAttempt.id)).where(
            VerificationAttempt.service_id == profile.id,
            VerificationAttempt.subject_digest == subject,
            VerificationAttempt.succeeded.is_(False),
            VerificationAttempt.created_at > since,
        )
    ).scalar_one()


def _aware(moment: datetime) -> datetime:
    # func.max keeps the column type, but be safe with drivers that return naive UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _succeed(
    session: Session,
    row: VerificationSession,
    profile: ServiceProfile,
    member: Member,
    required: Tuple[Factor, ...],
    now: datetime,
    clock: Optional[Clock],
) -> VerificationResult:
    factors = set(required)
    if row.verified_member_id == member.id:
        factors |= _verified_factors(row)
    row.verified_member_id = member.id
    row.verified_factors = ",".join(sorted(factor.value for factor in factors))
    row.verified_at = now
    row.expires_at = now + timedelta(minutes=SESSION_MINUTES)
    session.add(
        VerificationAttempt(
            service_id=profile.id, conversation_id=row.conversation_id, subject_digest=row.email_digest,
            member_id=member.id, succeeded=True, created_at=now,
        )
    )
    audit.record(
        session, "verification.succeeded", actor=ActorType.MEMBER, actor_id=member.id, service_id=profile.id,
        member_id=member.id, conversation_id=row.conversation_id,
        details={"factors": "+".join(sorted(factor.value for factor in required))}, clock=clock,
    )
    return VerificationResult(VerificationStatus.VERIFIED, member_id=member.id)


def _fail(
    session: Session,
    row: VerificationSession,
    profile: ServiceProfile,
    subject: str,
    suspect: Optional[int],
    now: datetime,
    clock: Optional[Clock],
) -> VerificationResult:
    limits = profile.lockout
    row.failed_attempts += 1
    # The member is asked for every factor again rather than keeping a wrong one.
    _clear(row)
    session.add(
        VerificationAttempt(
            service_id=profile.id, conversation_id=row.conversation_id, subject_digest=subject,
            member_id=suspect, succeeded=False, created_at=now,
        )
    )
    session.flush()
    subject_failures = _failures_since_reset(session, profile, subject, now)
    audit.record(
        session, "verification.failed", actor=ActorType.SYSTEM, service_id=profile.id, member_id=suspect,
        conversation_id=row.conversation_id,
        details={"conversation_failures": row.failed_attempts, "subject_failures": subject_failures}, clock=clock,
    )
    if subject_failures >= limits.attempts_per_member:
        until = now + timedelta(minutes=limits.lock_minutes)
        session.add(
            Lockout(service_id=profile.id, subject_digest=subject, member_id=suspect, locked_at=now, locked_until=until)
        )
        audit.record(
            session, "verification.locked", actor=ActorType.SYSTEM, service_id=profile.id, member_id=suspect,
            conversation_id=row.conversation_id, details={"lock_minutes": limits.lock_minutes}, clock=clock,
        )
        return VerificationResult(VerificationStatus.LOCKED, remaining_attempts=0, locked_until=until)
    if row.failed_attempts >= limits.attempts_per_conversation:
        row.exhausted_at = now
        audit.record(
            session, "verification.exhausted", actor=ActorType.SYSTEM, service_id=profile.id, member_id=suspect,
            conversation_id=row.conversation_id, clock=clock,
        )
        return VerificationResult(VerificationStatus.CONVERSATION_EXHAUSTED, remaining_attempts=0)
    remaining = min(
        limits.attempts_per_conversation - row.failed_attempts, limits.attempts_per_member - subject_failures
    )
    return VerificationResult(VerificationStatus.MISMATCH, remaining_attempts=remaining)

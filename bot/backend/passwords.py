"""Password hashing (Argon2id) and e-mailed, single-use password-reset tokens."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.backend import audit, inputs, keys, mails, outbox
from bot.backend.clock import Clock, resolve
from bot.backend.models import ActorType, Member, MemberStatus, PasswordResetToken
from bot.backend.profiles import get_profile

MIN_PASSWORD_LENGTH = 8
# Argon2 hashing of very long input is a denial-of-service vector; nobody types more.
MAX_PASSWORD_LENGTH = 128

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Argon2id hash of ``password`` (salted, encoded with its parameters)."""
    return _hasher.hash(password.encode("utf-8", "surrogatepass"))


def check_password(password_hash: Optional[str], password: str) -> bool:
    """True when ``password`` matches ``password_hash`` (constant time inside Argon2)."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password.encode("utf-8", "surrogatepass"))
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: object) -> Optional[str]:
    """Why ``password`` is not acceptable, or None."""
    if not isinstance(password, str):
        return "not_text"
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or 0xD800 <= ord(ch) < 0xE000 for ch in password):
        return "control_characters"
    return None


class ResetRequestOutcome(str, Enum):
    """Reply to a password-reset request; the same whether or not the account exists."""

    MAIL_SENT_IF_REGISTERED = "mail_sent_if_registered"
    NOT_AVAILABLE_REMOTELY = "not_available_remotely"


@dataclass(frozen=True)
class ResetRequestResult:
    """Outcome of ``request_password_reset``."""

    outcome: ResetRequestOutcome
    # Where to go instead (e.g. 自動契約機, 店頭窓口) when remote reset is not offered.
    reset_places: Tuple[str, ...] = ()
    token_minutes: int = 0


def request_password_reset(
    session: Session,
    service_id: str,
    email: str,
    *,
    conversation_id: Optional[str] = None,
    clock: Optional[Clock] = None,
) -> ResetRequestResult:
    """Mail a reset link to every account registered with ``email``; the reply never tells whether one exists."""
    profile = get_profile(service_id)
    if conversation_id is not None:
        conversation_id = inputs.identifier(conversation_id, "conversation_id")
    if not profile.password.remote_reset:
        return ResetRequestResult(ResetRequestOutcome.NOT_AVAILABLE_REMOTELY, reset_places=profile.password.reset_places)

    now = resolve(clock).now()
    digest = keys.email_digest(email) if isinstance(email, str) else keys.keyed_digest("email", "")
    members = list(
        session.execute(
            select(Member)
            .where(Member.service_id == profile.id, Member.email_digest == digest)
            .where(Member.status.in_([MemberStatus.ACTIVE.value, MemberStatus.LOCKED.value]))
            .order_by(Member.id)
        ).scalars()
    )
    # One token is made and hashed even when nobody matches, so both paths do the same work.
    planned = [(member, secrets.token_urlsafe(32)) for member in members] or [(None, secrets.token_urlsafe(32))]
    expires = now + timedelta(minutes=profile.password.token_minutes)
    for member, token in planned:
        token_hash = keys.token_digest(token)
        if member is None:
            continue
        session.add(PasswordResetToken(member_id=member.id, token_digest=token_hash, created_at=now, expires_at=expires))
        subject, body = mails.password_reset(
            profile, member.name, mails.site_link(profile, "password/reset", token), profile.password.token_minutes
        )
        outbox.queue_mail(
            session, service_id=profile.id, kind=outbox.MailKind.PASSWORD_RESET, to=member.email,
            subject=subject, body=body, member_id=member.id, clock=clock,
        )
    audit.record(
        session, "password.reset_requested", actor=ActorType.SYSTEM, service_id=profile.id,
        member_id=members[0].id if len(members) == 1 else None, conversation_id=conversation_id,
        details={"accounts": len(members)}, clock=clock,
    )
    return ResetRequestResult(ResetRequestOutcome.MAIL_SENT_IF_REGISTERED, token_minutes=profile.password.token_minutes)


class ResetOutcome(str, Enum):
    """Result of using a reset link."""

    PASSWORD_CHANGED = "password_changed"
    INVALID_OR_EXPIRED = "invalid_or_expired"  # unknown, already used or expired: not told apart
    PASSWORD_REJECTED = "password_rejected"  # the link is still usable


@dataclass(frozen=True)
class ResetResult:
    """Outcome of ``consume_reset_token``."""

    outcome: ResetOutcome
    member_id: Optional[int] = None
    problem: Optional[str] = None


def consume_reset_token(
    session: Session, token: str, new_password: str, *, clock: Optional[Clock] = None
) -> ResetResult:
    """Set a new password with a reset token; each token works once, before it expires."""
    problem = password_problem(new_password)
    if not isinstance(token, str) or len(token) > 200:
        return ResetResult(ResetOutcome.INVALID_OR_EXPIRED)
    now = resolve(clock).now()
    row = session.execute(
        select(PasswordResetToken).where(PasswordResetToken.token_digest == keys.token_digest(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return ResetResult(ResetOutcome.INVALID_OR_EXPIRED)
    if problem is not None:
        return ResetResult(ResetOutcome.PASSWORD_REJECTED, problem=problem)
    # Conditional UPDATE: of two simultaneous uses, only one finds the token unused.
    claimed = session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return ResetResult(ResetOutcome.INVALID_OR_EXPIRED)
    member = session.get(Member, row.member_id)
    if member is None or member.status not in (MemberStatus.ACTIVE.value, MemberStatus.LOCKED.value):
        return ResetResult(ResetOutcome.INVALID_OR_EXPIRED)
    member.password_hash = hash_password(new_password)
    # A new password also ends a login lock.
    member.status = MemberStatus.ACTIVE.value
    member.updated_at = now
    # Other links sent earlier stop working once the password has changed.
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.member_id == member.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session, "password.reset_completed", actor=ActorType.MEMBER, actor_id=member.id,
        service_id=member.service_id, member_id=member.id, clock=clock,
    )
    return ResetResult(ResetOutcome.PASSWORD_CHANGED, member_id=member.id)
